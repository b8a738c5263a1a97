"""``/volunteers``: coordinators only; add, edit, deactivate, CSV import with a preview that
writes nothing and names each bad row, and the export."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.web.dashboard_helpers import sign_in
from warmline.db.models import AuditEntry, Volunteer

CSV = (
    "name,phone,role,capacity\r\n"
    "Robin Park,+15555550141,volunteer,2\r\n"
    "Casey Moss,12,volunteer,2\r\n"
    "Dana Wu,+15555550143,supervisor,3\r\n"
)


def _count(wl) -> int:
    with wl.db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Volunteer)) or 0


def test_only_coordinators_see_or_change_volunteers(wl, app, people):
    people.volunteer("Sam Lee", on_shift=False)
    for role in ("viewer", "supervisor"):
        dash = sign_in(wl, app.test_client(), role)
        assert dash.get("/volunteers").status_code == 403
        assert dash.get("/volunteers/export.csv").status_code == 403
        assert dash.post("/volunteers/1/deactivate").status_code == 403
        assert dash.post("/volunteers/import", {"text": "name,phone\n"}).status_code == 403
    with wl.db.unit_of_work() as session:
        assert session.get_one(Volunteer, 1).active


def test_the_list_shows_phones_to_coordinators_and_adds_edits_deactivates(wl, client, people):
    people.volunteer("Sam Lee", phone="+15555550140", on_shift=False, role="supervisor")
    dash = sign_in(wl, client, "coordinator")
    page = dash.get("/volunteers").get_data(as_text=True)
    assert "Sam Lee" in page and "+15555550140" in page
    response = dash.post(
        "/volunteers",
        {
            "name": "Robin Park",
            "phone": "+15555550141",
            "role": "volunteer",
            "capacity": "",
            "languages": "en",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/volunteers#top"  # the confirmation in view
    refused = dash.post(
        "/volunteers", {"name": "Robin Two", "phone": "+15555550141", "role": "volunteer"}
    )
    assert refused.status_code == 400
    assert "Robin Park (volunteer 2) already has that number" in refused.get_data(as_text=True)
    assert 'value="Robin Two"' in refused.get_data(as_text=True)
    assert 'action="/volunteers#add-h"' in refused.get_data(as_text=True)  # shown at the form
    edit = dash.get("/volunteers/2/edit").get_data(as_text=True)
    assert 'value="Robin Park"' in edit
    assert (
        dash.post(
            "/volunteers/2/edit",
            {
                "name": "Robin Parker",
                "phone": "+15555550141",
                "role": "volunteer",
                "capacity": "3",
                "languages": "en",
            },
        ).status_code
        == 302
    )
    assert dash.post("/volunteers/2/deactivate").status_code == 302
    page = dash.get("/volunteers").get_data(as_text=True)
    assert "Robin Parker is deactivated" in page
    with wl.db.unit_of_work() as session:
        robin = session.get_one(Volunteer, 2)
        assert (robin.name, robin.capacity, robin.active) == ("Robin Parker", 3, False)
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert actions[-3:] == ["volunteer.add", "volunteer.edit", "volunteer.deactivate"]


def test_csv_import_previews_each_row_then_adds_the_good_ones(wl, client):
    dash = sign_in(wl, client, "coordinator")
    response = dash.post(
        "/volunteers/import",
        {"file": (io.BytesIO(("\ufeff" + CSV).encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _count(wl) == 0  # the preview wrote nothing
    assert "2 ready" in page and "1 with errors" in page
    bad = re.search(r'<tr class="bad">(.*?)</tr>', page, re.S)
    assert bad and "Casey Moss" in bad.group(1) and "Error:" in bad.group(1)
    assert "Import 2 volunteers, leave out 1 row with errors" in page
    text = re.search(r'<textarea name="text"[^>]*>\n(.*?)</textarea>', page, re.S).group(1)
    dash.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = dash.post("/volunteers/import/commit", {"text": text.replace("&#34;", '"')})
    assert response.status_code == 302
    assert "Imported 2 volunteer(s); left out 1 row(s) with errors." in dash.get(
        "/volunteers"
    ).get_data(as_text=True)
    with wl.db.unit_of_work() as session:
        names = session.scalars(select(Volunteer.name).order_by(Volunteer.name)).all()
    assert names == ["Dana Wu", "Robin Park"]


def test_an_unreadable_file_is_refused_whole(wl, client):
    dash = sign_in(wl, client, "coordinator")
    response = dash.post("/volunteers/import", {"text": "name,mobile\nSam,+15555550141\n"})
    assert response.status_code == 400
    assert "unknown column(s) mobile" in response.get_data(as_text=True)


def test_export_is_a_csv_download_and_is_audited(wl, client, people):
    people.volunteer("Sam Lee", phone="+15555550140", on_shift=False)
    dash = sign_in(wl, client, "coordinator")
    response = dash.get("/volunteers/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data(as_text=True).splitlines() == [
        "name,phone,role,capacity,languages,active",
        "Sam Lee,+15555550140,volunteer,2,,yes",
    ]
    with wl.db.unit_of_work() as session:
        assert "volunteer.export" in session.scalars(select(AuditEntry.action)).all()


def test_import_without_csrf_token_is_refused(wl, client):
    dash = sign_in(wl, client, "coordinator")
    response = dash.post("/volunteers/import/commit", {"text": CSV}, token=False)
    assert response.status_code == 400
    assert _count(wl) == 0

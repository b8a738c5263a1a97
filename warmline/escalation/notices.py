"""What an escalation says, to whom, and the small rules around it. Pure: no database, no clock.

Wording rules:

* Nobody's phone number and no message body appear in an alert: the contact is named by their
  alias, and what matched by its lexicon category and phrase ("suicide: 'kill myself'").
* Every alert to a supervisor or coordinator carries the escalation's id and how to acknowledge
  it ("Reply #ack 12"), so a reply from any phone reaches the right escalation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from warmline import texts

MAX_SHOWN = 3  # matches named in one alert; the record keeps them all


def what_matched(matches: Iterable[Mapping[str, Any]], level: str | None = None) -> str:
    """ "suicide: 'kill myself'; self-harm: 'cut myself'" for up to MAX_SHOWN distinct matches of
    ``level`` (all levels when None), in the order given."""
    seen: list[str] = []
    for m in matches:
        if level is not None and m.get("level") != level:
            continue
        # A rule's pattern means nothing to a supervisor: the words it matched when they are at
        # hand (a new alert), else the rule's name (an alert rebuilt from the record).
        if m.get("rule"):
            words = m.get("words")
            what = f"'{' … '.join(words)}'" if words else f"rule {m['rule']}"
        else:
            what = f"'{m['phrase']}'"
        item = f"{str(m['category']).replace('_', '-')}: {what}"
        if item not in seen:
            seen.append(item)
    shown = "; ".join(seen[:MAX_SHOWN])
    more = len(seen) - MAX_SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def crisis_alert(escalation_id: int, alias: str, matched: str) -> str:
    """The first alert of a crisis found by the scan."""
    return texts.fixed("escalation_crisis_alert", id=escalation_id, alias=alias, matched=matched)


def volunteer_alert(
    escalation_id: int, volunteer_name: str, alias: str | None, note: str | None
) -> str:
    """The alert of an escalation a volunteer raised with ``#escalate [note]``."""
    about = f" about {alias}" if alias else ""
    said = f": {note}" if note else ""
    said += "" if said.endswith((".", "!", "?")) else "."
    return texts.fixed(
        "escalation_volunteer_alert",
        id=escalation_id,
        volunteer=volunteer_name,
        about=about,
        note=said,
    )


def realert(first_alert: str, minutes: int) -> str:
    """The alert re-sent to the next level when nobody acknowledged it in ``minutes``."""
    return texts.fixed("escalation_realert", minutes=minutes, first_alert=first_alert)


def tell_volunteer_crisis(
    escalation_id: int, alias: str, matched: str, resources_sent: bool, alerted: str
) -> str:
    name = "escalation_crisis_heads_up" if resources_sent else "escalation_crisis_heads_up_again"
    return texts.fixed(name, id=escalation_id, alias=alias, matched=matched, alerted=alerted)


def tell_volunteer_concern(alias: str, matched: str) -> str:
    return texts.fixed("escalation_concern", alias=alias, matched=matched)


def alerted_phrase(targets: Sequence[str]) -> str:
    """Who an alert reached, in words: 'the supervisor on shift was alerted', 'the coordinators
    were alerted', 'the volunteers on shift were alerted', joined with 'and'."""
    supervisors = sum(1 for t in targets if t.startswith("supervisor:"))
    volunteers = sum(1 for t in targets if t.startswith("volunteer:"))
    parts = []
    if supervisors:
        parts.append("the supervisor on shift" if supervisors == 1 else "the supervisors on shift")
    if any(t.startswith("coordinators:") and not t.endswith(":0") for t in targets):
        parts.append("the coordinators")
    if volunteers:
        one = volunteers == 1
        parts.append("the other volunteer on shift" if one else "the volunteers on shift")
    if not parts:
        return "no supervisor or coordinator could be alerted"
    verb = "was" if len(parts) == 1 and (supervisors == 1 or volunteers == 1) else "were"
    return " and ".join(parts) + f" {verb} alerted"


def parse_escalation_id(argument: str) -> int | None:
    """The escalation id of ``#ack [id]``: "12", "#12" or "12 on it" give 12; "" gives None.

    Raises ValueError when the first word is not a whole number."""
    words = argument.split()
    if not words:
        return None
    first = words[0].lstrip("#")
    if not first.isascii() or not first.isdigit():
        raise ValueError(first)
    return int(first)


def resources_due(last_sent_at: dt.datetime | None, now: dt.datetime, minutes: int) -> bool:
    """Crisis resources go out unless the contact was sent them less than ``minutes`` ago."""
    return last_sent_at is None or now - last_sent_at >= dt.timedelta(minutes=minutes)


def alerted_ids(actions: Iterable[Mapping[str, Any]], prefix: str = "supervisor:") -> set[str]:
    """Everyone an escalation's actions say was alerted, e.g. {"supervisor:3"}."""
    found: set[str] = set()
    for action in actions:
        if action.get("action") in ("alerted", "realerted"):
            found.update(t for t in action.get("to", ()) if str(t).startswith(prefix))
    return found

"""CSV exports never hand a spreadsheet a formula, and read back unchanged
(warmline/services/spreadsheet.py)."""

import pytest

from warmline.services.spreadsheet import safe_cell, safe_rows, unquoted


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("+15551230001", "+15551230001"),  # a phone number stays a phone number
        ("-3", "-3"),
        ("+1 (555) 123 0001", "+1 (555) 123 0001"),
        ("Sam Lee", "Sam Lee"),
        ("", ""),
        (42, 42),
        (None, None),
    ],
)
def test_a_cell_that_would_be_a_formula_is_written_as_text(value, written):
    assert safe_cell(value) == written
    if isinstance(value, str):
        assert unquoted(written) == value  # an export imports again unchanged


def test_rows_and_a_plain_apostrophe_are_left_alone():
    assert safe_rows([["=1", 2], ["ok", "-x"]]) == [["'=1", 2], ["ok", "'-x"]]
    assert unquoted("'tis the season") == "'tis the season"

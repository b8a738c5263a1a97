"""The alert chain as a pure rule: an alert is never silent while anyone can be reached."""

import pytest

from warmline.escalation.recipients import Recipients, choose_recipients

SUE, SAM, ANN, BEA = 1, 2, 3, 4


@pytest.mark.parametrize(
    ("supervisors", "on_shift", "coordinators", "exclude", "assigned", "expected"),
    [
        # supervisors on shift come first, coordinators are not bothered
        ([SUE], [SUE, SAM], 1, None, SAM, Recipients(supervisors=(SUE,))),
        ([SUE, BEA], [SUE, BEA, SAM], 0, None, SAM, Recipients(supervisors=(SUE, BEA))),
        # no supervisor on shift: the coordinators' numbers
        ([], [SAM, ANN], 2, None, SAM, Recipients(coordinators=True)),
        # no supervisor and no coordinator numbers: every other volunteer on shift
        ([], [SAM, ANN, BEA], 0, None, SAM, Recipients(volunteers=(ANN, BEA))),
        # the only supervisor is the contact's own volunteer: they and the next level
        ([SUE], [SUE, SAM], 1, None, SUE, Recipients(supervisors=(SUE,), coordinators=True)),
        ([SUE], [SUE, SAM], 0, None, SUE, Recipients(supervisors=(SUE,), volunteers=(SAM,))),
        # another supervisor besides the assigned one is enough
        ([SUE, BEA], [SUE, BEA], 1, None, SUE, Recipients(supervisors=(SUE, BEA))),
        # whoever raised it (#escalate) is never alerted about it
        ([SUE], [SUE, SAM], 1, SUE, SUE, Recipients(coordinators=True)),
        ([], [SAM, ANN], 0, SAM, SAM, Recipients(volunteers=(ANN,))),
        # nobody at all: the caller says so, nothing is pretended
        ([], [SAM], 0, None, SAM, Recipients()),
        ([], [], 0, None, None, Recipients()),
    ],
)
def test_choose_recipients(supervisors, on_shift, coordinators, exclude, assigned, expected):
    got = choose_recipients(supervisors, on_shift, coordinators, exclude=exclude, assigned=assigned)
    assert got == expected

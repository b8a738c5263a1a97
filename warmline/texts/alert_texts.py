"""Escalation alerts, acknowledgements and rota notices: what supervisors, coordinators and
volunteers on the alert chain or the rota read (English; see ``catalogue``).

Some placeholders take phrases built in code (``{matched}``: "suicide: 'kill myself'",
``{alerted}``: "the supervisor on shift was alerted"); see ``escalation.notices``.
"""

from __future__ import annotations

from warmline.texts.entry import Text, supervisor, volunteer

ALERT_TEXTS: dict[str, Text] = {
    # Escalations (SPEC §9): the alerts, to the alert chain.
    "escalation_crisis_alert": supervisor(
        "Warmline ESCALATION #{id}: {alias} may be in crisis ({matched}). Reply #ack {id}",
        "id",
        "alias",
        "matched",
    ),
    "escalation_volunteer_alert": supervisor(
        "Warmline ESCALATION #{id}: volunteer {volunteer} asks for a supervisor{about}{note} "
        "Reply #ack {id}",
        "id",
        "volunteer",
        "about",  # " about Blue Heron", or nothing
        "note",  # ": they mention a plan.", or "."
    ),
    "escalation_realert": supervisor(
        "NOT ACKNOWLEDGED after {minutes} min. {first_alert}", "minutes", "first_alert"
    ),
    # ... and what the conversation's volunteer is told.
    "escalation_crisis_heads_up": volunteer(
        "Heads-up: {alias} may be in crisis ({matched}). They were sent the crisis resources "
        "(988, 911) and {alerted} (escalation #{id}). Please stay with them; #escalate [note] if "
        "you need more help.",
        "id",
        "alias",
        "matched",
        "alerted",
    ),
    "escalation_crisis_heads_up_again": volunteer(
        "Heads-up: {alias} may be in crisis ({matched}). They had the crisis resources (988, "
        "911) recently and {alerted} (escalation #{id}). Please stay with them; #escalate "
        "[note] if you need more help.",
        "id",
        "alias",
        "matched",
        "alerted",
    ),
    "escalation_concern": volunteer(
        "Heads-up: {alias}'s words may show a concern ({matched}). Nothing was sent to them. "
        "#escalate [note] if you want a supervisor.",
        "alias",
        "matched",
    ),
    "escalation_raised": volunteer(
        "Escalation #{id} about {alias}: {alerted}. Nothing was sent to {alias}; stay with them.",
        "id",
        "alias",
        "alerted",
    ),
    "escalation_raised_nobody": volunteer(
        "Escalation #{id} about {alias}: {alerted} (phone your coordinator, or {crisis_line}). "
        "Nothing was sent to {alias}; stay with them.",
        "id",
        "alias",
        "alerted",
        "crisis_line",
    ),
    # Replies to #ack (supervisors, and coordinators' alert numbers).
    "ack_not_a_supervisor": volunteer(
        "Only a supervisor can acknowledge an escalation. If you need help with a conversation, "
        "text #escalate [note] on its number."
    ),
    "ack_bad_number": supervisor(
        "#ack takes an escalation number, e.g. #ack 12 (or just #ack for the latest)."
    ),
    "ack_none_open": supervisor("There is no unacknowledged escalation you were alerted about."),
    "ack_unknown": supervisor("There is no escalation #{id}. Check the number in the alert.", "id"),
    "ack_not_yours": supervisor(
        "Escalation #{id} did not reach you; only those alerted may acknowledge it.", "id"
    ),
    "ack_already": supervisor(
        "Escalation #{id}{alias} was already acknowledged by {name}.", "id", "alias", "name"
    ),
    "ack_done": supervisor(
        "Escalation #{id}{alias} acknowledged. Thank you for following up.", "id", "alias"
    ),
    "ack_following_up": volunteer(
        "{name} acknowledged escalation #{id}{alias} and is following up.", "name", "id", "alias"
    ),
    # The rota (SPEC §7): reminders and shift notices, swaps, coverage.
    "shift_reminder": volunteer(
        "Reminder from {line}: your shift starts in {within}, {when}, until {until}.",
        "within",
        "when",
        "until",
    ),
    "shift_started": volunteer(
        "Your {line} shift starts now and runs until {until}. New conversations will come to you "
        "here; #off pauses them, #help lists the commands.",
        "until",
    ),
    "shift_ended": volunteer(
        "Your {line} shift has ended; thank you. No new conversations will come to you until "
        "your next shift."
    ),
    "shift_ended_still_open": volunteer(
        "Your {line} shift has ended; thank you. You keep your open conversations ({open}) until "
        "they close, but no new ones will come to you.",
        "open",
    ),
    "swap_given": volunteer(
        "{line}: {taker} is taking your shift {when} until {until}. Thank you!",
        "taker",
        "when",
        "until",
    ),
    "swap_taken": volunteer(
        "{line}: you are now on shift {when} until {until}, taking over from {offerer}.",
        "when",
        "until",
        "offerer",
    ),
    "coverage_all_covered": supervisor(
        "{line}: every {what} of the next {days} days is now covered.", "what", "days"
    ),
    "coverage_gaps": supervisor(
        "{line}: coverage gaps in the next {days} days changed. Gaps:", "days"
    ),
    "coverage_gap": supervisor("{start} to {end}: {kind}", "start", "end", "kind"),
    "coverage_more": supervisor("and {more} more (warmline rota gaps)", "more"),
}

"""What volunteers and supervisors read or hear from warmline (English; see ``catalogue``)."""

from __future__ import annotations

from warmline.texts.entry import Text, supervisor, volunteer

_COMMANDS_HELP = (
    "Warmline commands: #end [note] close the conversation; #pass hand it to someone else; "
    "#escalate [note] alert the supervisor; #ack [id] acknowledge an alert (supervisors); "
    "#off / #on pause or resume new conversations; #status your conversations and the queue; "
    "#callback take a voicemail callback; #help this list. Anything else is sent to the contact."
)
_HOW_TO = (
    "Reply to this number to answer them; #end to close, #pass to hand over, #help for all "
    "commands."
)

VOLUNTEER_TEXTS: dict[str, Text] = {
    # A new conversation, then the contact's words, each "[alias] ...".
    "intro": volunteer(f"New warmline conversation with {{alias}}. {_HOW_TO}", "alias"),
    "intro_flagged": volunteer(
        "New warmline conversation with {alias}. This conversation was flagged as a possible "
        f"crisis. {_HOW_TO}",
        "alias",
    ),
    "relay": volunteer("[{alias}] {body}", "alias", "body"),
    "relay_picture": volunteer(
        "[{alias}] sent a picture; warmline does not forward pictures.", "alias"
    ),
    "relay_pictures": volunteer(
        "[{alias}] sent {count} pictures; warmline does not forward pictures.", "alias", "count"
    ),
    # Replies to a volunteer's texts and commands (SPEC §6).
    "commands_help": volunteer(_COMMANDS_HELP),
    "unknown_command": volunteer(f"Unknown command #{{command}}. {_COMMANDS_HELP}", "command"),
    "account_inactive": volunteer(
        "Your warmline account is not active. Please contact your coordinator."
    ),
    "no_conversation": volunteer(
        "There is no open conversation on this number, so your message was not sent to anyone. "
        "Text #status to see your conversations, #help for commands."
    ),
    "pictures_not_sent": volunteer(
        "Pictures are not forwarded to contacts; only your text was sent."
    ),
    "ended": volunteer("Conversation with {alias} closed. Thank you.", "alias"),
    "passed_to_queue": volunteer(
        "{alias} is back at the front of the queue; the next free volunteer gets them.", "alias"
    ),
    "passed_on": volunteer("{alias} was handed to another volunteer. Thank you.", "alias"),
    "paused": volunteer(
        "Paused: you will get no new conversations. Your open ones stay with you. #on to resume."
    ),
    "resumed": volunteer("Welcome back: you can get new conversations again."),
    # #status, one line each.
    "status_open": volunteer("Open conversations: {open} of {capacity}.", "open", "capacity"),
    "status_conversation": volunteer("- {alias} on {number}", "alias", "number"),
    "status_queue": volunteer("Waiting in the queue: {waiting}.", "waiting"),
    "status_callbacks": volunteer(
        "Voicemails to call back: {waiting} (#callback takes one).", "waiting"
    ),
    "status_off_shift": volunteer("You are not on shift now."),
    "status_on_shift": volunteer("On shift until {until}.", "until"),
    "status_paused": volunteer("You are paused (#on to resume)."),
    # A conversation taken away or closed without the volunteer's command.
    "response_timeout": volunteer(
        "{alias} waited {minutes} minutes without a reply, so they were passed to another "
        "volunteer.",
        "alias",
        "minutes",
    ),
    "idle_closed": volunteer(
        "The conversation with {alias} was idle and has been closed.", "alias"
    ),
    "unreachable": volunteer(
        "We could not deliver a text to your phone, so {alias} went to another volunteer "
        "and you are paused. Text #on when you can take conversations again.",
        "alias",
    ),
    "contact_opted_out": volunteer(
        "{alias} texted STOP and has opted out: nothing more can be sent to them; the "
        "conversation is closed.",
        "alias",
    ),
    "contact_blocked": volunteer(
        "{alias} was blocked by a coordinator and nothing more from them will reach you; the "
        "conversation is closed.",
        "alias",
    ),
    # Voicemail callbacks (SPEC §10): texts, then what warmline's call says.
    "callback_waiting": volunteer(
        "{alias} called {line} and left a voicemail asking for a call back. Text #callback and "
        "warmline will call you, play you the message and connect you; your number stays "
        "private.",
        "alias",
    ),
    "callback_withheld": volunteer(
        "{alias} called from a withheld number and left a voicemail. Warmline cannot call them "
        "back, so there is nothing to do; the request is closed.",
        "alias",
    ),
    "callback_on_a_call": volunteer(
        "You are already on a call; text #callback again when it is over."
    ),
    "callback_none": volunteer("No callbacks are waiting. Thank you for checking."),
    "callback_withheld_claimed": volunteer(
        "{alias} called from a withheld number, so warmline cannot call them back. The request "
        "is closed; text #callback for the next one.",
        "alias",
    ),
    "callback_calling_you": volunteer(
        "Warmline will call you now from {number}. Answer and press 1 to hear {alias}'s message "
        "and be connected; they will see the line's number, not yours.",
        "number",
        "alias",
    ),
    "callback_not_placed": volunteer(
        "Warmline could not call you for the callback; it is back in the queue."
    ),
    "call_whisper": volunteer("Warmline call. Press 1 to accept."),
    "callback_intro": volunteer(
        "Warmline callback to {alias}. Press 1 at any time to call them.", "alias"
    ),
    "callback_their_message": volunteer("Their message:"),
    "callback_press_1": volunteer("Press 1 to call {alias} now.", "alias"),
    "callback_no_key": volunteer(
        "No key was pressed, so the callback goes back to the queue. Goodbye."
    ),
    "callback_connecting": volunteer("Connecting you now."),
    "callback_gone": volunteer("This callback is no longer waiting. Thank you."),
    "callback_unanswered": volunteer(
        "{alias} did not answer. The callback is closed. Thank you for calling.", "alias"
    ),
    # To the alert chain (supervisors first).
    "response_timeout_alert": supervisor(
        "Warmline: {alias} has waited {minutes} minutes for a reply and no other volunteer is "
        "free. They are at the front of the queue.",
        "alias",
        "minutes",
    ),
}

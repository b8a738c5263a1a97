"""One volunteer command being acted on: who sent what, to which of the line's numbers, when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.models import Conversation, Volunteer
from warmline.words import Command


def bound_conversation(
    session: Session, volunteer: Volunteer, relay_number: str
) -> Conversation | None:
    """The volunteer's open conversation on ``relay_number``, the number they texted."""
    return session.scalars(
        select(Conversation).where(
            Conversation.volunteer_id == volunteer.id,
            Conversation.relay_number == relay_number,
            Conversation.status == "assigned",
        )
    ).first()


@dataclass(frozen=True)
class CommandCall:
    session: Session
    ctx: Context
    volunteer: Volunteer
    to: str  # the line's number the command was sent to: it names the conversation
    command: Command
    now: dt.datetime
    reply: Callable[[str], None]

    def conversation(self) -> Conversation | None:
        """The conversation the command is about; None (and the volunteer told) when none."""
        conv = bound_conversation(self.session, self.volunteer, self.to)
        if conv is None:
            self.reply(texts.render(self.ctx.settings, "no_conversation"))
        return conv


Handler = Callable[[CommandCall], None]

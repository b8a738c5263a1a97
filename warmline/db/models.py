"""Typed SQLAlchemy 2 models: the database is the source of truth.

Times are stored as aware UTC (``UTCDateTime`` makes SQLite give them back aware too). Contact
phone numbers are never stored in clear: ``Contact.number_hash`` (keyed HMAC) finds a contact,
``Contact.number_encrypted`` lets the outbox reach them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Volunteer(Base):
    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="volunteer")  # or "supervisor"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    languages: Mapped[str] = mapped_column(String(64), default="")  # comma-separated, e.g. "en,es"
    reminder_minutes: Mapped[str] = mapped_column(String(64), default="1440,60")
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    last_assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    @property
    def language_set(self) -> frozenset[str]:
        return frozenset(x.strip().lower() for x in self.languages.split(",") if x.strip())


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    number_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)  # a real phone number
    alias: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    # True once the contact texted ESPAÑOL / ENGLISH: their language is no longer guessed.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # shown in `block list`
    last_volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    last_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Conversation(Base):
    """A contact's conversation: queued, assigned to a volunteer on a relay number, closed."""

    __tablename__ = "conversation"
    __table_args__ = (
        # Never two open conversations bound to one (volunteer, relay number) pair.
        Index(
            "uq_conversation_open_binding",
            "volunteer_id",
            "relay_number",
            unique=True,
            sqlite_where=text("status = 'assigned'"),
            postgresql_where=text("status = 'assigned'"),
        ),
        # At most one open text conversation per contact.
        Index(
            "uq_conversation_open_contact",
            "contact_id",
            unique=True,
            sqlite_where=text("status != 'closed' AND channel = 'sms'"),
            postgresql_where=text("status != 'closed' AND channel = 'sms'"),
        ),
        Index("ix_conversation_status_queue", "status", "escalated", "front_of_queue", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8), default="sms")  # "sms" or "voice"
    # "queued", "assigned", "closed"; a call is "ringing" until a volunteer accepts it
    status: Mapped[str] = mapped_column(String(16))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"), index=True)
    relay_number: Mapped[str | None] = mapped_column(String(32))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    front_of_queue: Mapped[bool] = mapped_column(Boolean, default=False)  # passed back: served next
    queued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    queue_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    awaiting_reply_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Start, assignment and the like; messages count by their own time (last_activity()).
    last_activity_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Voice calls (channel "voice").
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # answered, missed, voicemail, crisis-transfer, abandoned
    outcome: Mapped[str | None] = mapped_column(String(32))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    # A voicemail is a callback request; warmline's call to the volunteer who takes it.
    recording_sid: Mapped[str | None] = mapped_column(String(64))
    recording_url: Mapped[str | None] = mapped_column(String(500))
    recording_seconds: Mapped[int | None] = mapped_column(Integer)
    callback_call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)

    contact: Mapped[Contact] = relationship(lazy="joined")
    volunteer: Mapped[Volunteer | None] = relationship(lazy="joined")


class ConversationPass(Base):
    """A volunteer who passed (or timed out on) a conversation never gets it back."""

    __tablename__ = "conversation_pass"
    __table_args__ = (UniqueConstraint("conversation_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    reason: Mapped[str] = mapped_column(String(16))  # "pass", "timeout", "unreachable"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Message(Base):
    """Every message in a conversation, both ways. ``body`` is purged after the retention period."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    direction: Mapped[str] = mapped_column(String(4))  # "in" or "out"
    author: Mapped[str] = mapped_column(String(12))  # "contact", "volunteer", "system"
    body: Mapped[str | None] = mapped_column(Text)
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class WebhookEvent(Base):
    """A Twilio event acted on; its unique SID makes every webhook idempotent."""

    __tablename__ = "webhook_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Outbound(Base):
    """The outbox: a message to send, stored with the change that causes it."""

    __tablename__ = "outbound"
    __table_args__ = (Index("ix_outbound_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    from_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(24))  # "relay", "greeting", "alert", "notice", ...
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"))
    # "pending" -> "sent" -> "delivered"/"undelivered"/"failed"; or "failed" before sending.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Timer(Base):
    """A timer the worker fires once: due time, kind and the row it is about."""

    __tablename__ = "timer"
    __table_args__ = (Index("ix_timer_due", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class WeeklySlot(Base):
    __tablename__ = "weekly_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday, the local day the shift starts
    start_local: Mapped[dt.time] = mapped_column(Time)
    end_local: Mapped[dt.time] = mapped_column(Time)
    first_date: Mapped[dt.date | None] = mapped_column()
    last_date: Mapped[dt.date | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    assignments: Mapped[list[SlotAssignment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlotAssignment.id"
    )


class SlotAssignment(Base):
    __tablename__ = "slot_assignment"
    __table_args__ = (UniqueConstraint("slot_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("weekly_slot.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)


class OneOffShift(Base):
    __tablename__ = "one_off_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RotaOverride(Base):
    """Add, remove or replace a volunteer for a period (swaps become overrides too)."""

    __tablename__ = "rota_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "add", "remove", "replace"
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SwapRequest(Base):
    """A shift occurrence offered to others (or reassigned by a coordinator).

    ``status``: "open" (offered), "taken" (someone took it, or a coordinator reassigned it) or
    "cancelled". Taking it writes a ``replace`` RotaOverride (``override_id``) for the period.
    """

    __tablename__ = "swap_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(120))  # the shift's source, e.g. "slot:3"
    requested_by: Mapped[str] = mapped_column(String(12))  # "volunteer" or "coordinator"
    status: Mapped[str] = mapped_column(String(12), default="open")
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    override_id: Mapped[int | None] = mapped_column(ForeignKey("rota_override.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Escalation(Base):
    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    level: Mapped[str] = mapped_column(String(8))  # "crisis" or "concern"
    source: Mapped[str] = mapped_column(String(12))  # "scan", "volunteer", "voice", "timeout"
    matched: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of matches
    note: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of what was done
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id"))
    realerted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class Setting(Base):
    """Small pieces of worker state, e.g. the fingerprint of the last coverage-gap alert."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class User(Base):
    """A dashboard account (SPEC §11): a coordinator, supervisor or viewer, found by email.

    ``email`` is stored lower-cased; ``password_hash`` is an argon2id PHC string; ``totp_secret``,
    when the second factor is on, is the base32 secret encrypted with the Vault (never in clear).
    ``failed_logins`` counts wrong passwords since the last good one, shown on /users.
    ``totp_last_step`` is the 30-second step of the last TOTP code accepted, so no code is
    accepted twice. ``session_epoch`` is part of every session's fingerprint: logging out or
    deactivating the account raises it, which ends every session of the account, copies included.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # "coordinator", "supervisor", "viewer"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A bearer token of the JSON API: only the SHA-256 of the token is kept, never the token."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Who did what, when, to which record (SPEC §12). Never erased; never a body or a number.

    ``target`` names a record like ``"volunteer:12"``; ``detail`` is a short note such as a
    transcript's stated reason, checked by :func:`warmline.audit.record`.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor_kind: Mapped[str] = mapped_column(String(8))  # "user", "token", "cli"
    actor_name: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500), default="")

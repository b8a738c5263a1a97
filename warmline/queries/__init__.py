"""Read models: what the dashboard, the JSON API and the CLI show, computed once, here.

Every function takes the ``session`` (the caller's unit of work), the ``settings`` where the
line's timezone or hours matter, and its instants (``at``, ``since``, ``until``: aware UTC);
none reads the clock, none writes, none knows Flask or click. Results are frozen dataclasses.
Contacts appear by alias and ``contact_id``, never by phone number; only
``conversations.transcript`` returns message bodies (its caller checks the role and audits).

The interface (stable: the dashboard, the API and the CLI use it)::

    now.snapshot(session, settings, at) -> NowView
        NowView(at, open_by_hours, on_shift: tuple[OnShift], queue: tuple[Waiting],
                conversations: tuple[OpenConversation], escalations: tuple[OpenEscalation])
        OnShift(volunteer_id, name, supervisor, paused, load, capacity, shift_start, shift_end)
        Waiting(conversation_id, contact_id, alias, channel, escalated, queued_at, waiting_s)
        OpenConversation(conversation_id, contact_id, alias, channel, volunteer_id,
                         volunteer_name, started_at, age_s, escalated)
        OpenEscalation(id, conversation_id, contact_id, alias, level, source, raised_at,
                       acknowledged_at, acknowledged_by; .acknowledged)
    now.on_shift(session, settings, at) -> tuple[OnShift]   (the snapshot's first part alone)

    conversations.page(session, *, since=None, until=None, volunteer_id=None, escalated=None,
                       outcome=None, channel=None, limit=50, offset=0) -> Page[ConversationRow]
        Page(items, total, limit, offset)
        ConversationRow(conversation_id, contact_id, alias, channel, volunteer_id,
                        volunteer_name, started_at, closed_at, first_response_s, duration_s,
                        outcome, escalated)
    conversations.transcript(session, conversation_id) -> Transcript | None
        Transcript(conversation: ConversationRow, lines: tuple[Line])
        Line(at, direction "in"|"out", author, volunteer_name, body | None, num_media)

    rota.week(session, settings, first_date: date) -> WeekView   (7 local days from first_date)
        WeekView(timezone, first_date, start, end, days: tuple[Day])
        Day(date, start, end, shifts: tuple[RotaShift], gaps: tuple[Period],
            closed: tuple[Period])
        RotaShift(volunteer_id, name, supervisor, start, end, source)
        Period(start, end, kind "uncovered"|"no_supervisor"|"closed")
    rota.gaps(session, settings, since, until) -> tuple[Gap]    (opening hours only)
        Gap(start, end, kind "uncovered"|"no_supervisor")   (warmline.scheduling.rota.Gap)

    reports.*(session, [settings,] since, until): conversations that *started* in the range
        contacts_per_day(session, settings, since, until) -> tuple[DayCount(date, contacts)]
        contacts_by_hour_of_week(session, settings, since, until) -> 7×24 tuple (0 = Monday)
        first_response(session, since, until) -> Spread(count, median_s, p90_s)
        waiting(session, since, until) -> Spread
        abandoned(session, since, until) -> int
        after_hours(session, settings, since, until) -> int
        escalations(session, since, until) -> EscalationFigures(count, by_level, acknowledged,
                                                                time_to_ack: Spread)
        load_per_volunteer(session, since, until) -> tuple[VolunteerLoad(volunteer_id, name,
                                                           conversations, texts, calls)]
        calls(session, since, until) -> CallFigures(total, answered, missed, voicemail,
                                                    by_outcome)
        summary(session, settings, since, until) -> Summary(since, until, timezone, contacts,
            unique_contacts, first_response, waiting, abandoned, after_hours, escalations, calls)
"""

"""The texts catalogue (:mod:`warmline.texts.catalogue`) filled in: every word warmline sends.

``render(settings, name, lang=..., **values)`` gives the text ``name`` with ``{line}``,
``{hours}`` and ``values`` filled in: a configurable text as the line file sets it ([texts], or
[texts.es] when ``lang`` is "es"), any other from the catalogue (its Spanish, when it has one
and ``lang`` is "es"). ``fixed(name, **values)`` is the same for a text no setting changes,
where no settings are at hand (the TwiML builder). The configuration checks the placeholders
of what it loads against the catalogue; an unknown one met here anyway is left as written
rather than failing a webhook over it.
"""

from __future__ import annotations

from typing import Any, Protocol

from warmline.texts.catalogue import CATALOGUE
from warmline.texts.time_phrase import local_time_phrase

__all__ = ["CATALOGUE", "fixed", "local_time_phrase", "render"]


class _Line(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def hours(self) -> str: ...


class Configured(Protocol):
    """What rendering needs of the settings (``config.Settings`` has it)."""

    @property
    def line(self) -> _Line: ...

    @property
    def texts(self) -> Any: ...

    @property
    def texts_es(self) -> Any: ...


def render(settings: Configured, name: str, /, *, lang: str | None = None, **values: Any) -> str:
    """The text ``name`` for someone who reads ``lang``, filled in (see the module doc)."""
    text = CATALOGUE[name]
    if text.configurable:
        template: str = getattr(settings.texts_es if lang == "es" else settings.texts, name)
    else:
        template = text.es if lang == "es" and text.es is not None else text.en
    fields = {"line": settings.line.name, "hours": settings.line.hours} | values
    return template.format_map(_Lenient(fields))


def fixed(name: str, /, **values: Any) -> str:
    """The English of a text that no setting changes, filled in with ``values``."""
    text = CATALOGUE[name]
    assert not text.configurable, f"{name} is configurable: render it with the settings"
    return text.en.format_map(_Lenient(values))


class _Lenient(dict[str, object]):
    """Leaves an unknown {placeholder} as it is instead of failing a webhook over a typo."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"

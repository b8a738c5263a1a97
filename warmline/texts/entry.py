"""One entry of the texts catalogue: who receives it, its words, what it may fill in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["contact", "caller", "volunteer", "supervisor"]
# Filled in for every text: the line's name and its opening hours in words.
ALWAYS_FILLED = ("line", "hours")


@dataclass(frozen=True)
class Text:
    """``en`` (and ``es``, what a contact who writes Spanish reads instead) may use
    ``{placeholders}`` and :data:`ALWAYS_FILLED`, nothing else; ``configurable``: the line file's
    ``[texts]`` may replace it (and ``[texts.es]`` its Spanish)."""

    audience: Audience
    en: str
    placeholders: tuple[str, ...] = ()
    es: str | None = None
    configurable: bool = False

    @property
    def allowed(self) -> tuple[str, ...]:
        return (*ALWAYS_FILLED, *self.placeholders)


def volunteer(en: str, *placeholders: str) -> Text:
    return Text("volunteer", en, placeholders)


def supervisor(en: str, *placeholders: str) -> Text:
    return Text("supervisor", en, placeholders)

"""Matching the lexicon's rules (SPEC §8): parts in order, each within its gap of the previous.

Every distinct set of atoms — a `{slot}` of a rule, a run of literal words, a rule's `unless`
list, the `[negation] recovered`/`topic` phrases — is one *class*. The matcher's Aho-Corasick
automaton finds every atom of every class in the message in the same pass as the phrases, and
hands over, per class, the (first, last) word positions where an atom occurred. A rule is only
tried when each of its classes occurred somewhere (its rarest class is its index key), and then
a chain is searched from each place its first part occurred: part i + 1 must start after part i
ends, with at most `gap` other words between. One chain is reported per starting place, at most
`MAX_STARTS` of them per rule and message, so a pathological message stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet

from warmline.escalation.lexicon import Atom, Lexicon

MAX_STARTS = 64

Occurrences = dict[int, list[tuple[int, int]]]  # class id -> (first, last) word of each atom found
Chain = tuple[tuple[int, int], ...]  # (first, last) word of each part


class RuleIndex:
    def __init__(self, lexicon: Lexicon, add_key: Callable[[Atom, int], None]) -> None:
        """Give every class an id and register each of its atoms with `add_key(atom, id)`."""
        self.classes: dict[frozenset[Atom], int] = {}
        self._add_key = add_key
        self._parts: list[tuple[int, ...]] = []
        self._gaps: list[tuple[int, ...]] = []
        self.unless: list[int | None] = []
        for rule in lexicon.rules:
            self._parts.append(tuple(self._class(part.atoms) for part in rule.parts))
            self._gaps.append(tuple(part.gap for part in rule.parts))
            self.unless.append(self._class(rule.unless) if rule.unless else None)
        self.recovered: int | None = None
        if lexicon.recovered:
            self.recovered = self._class(frozenset((words, False) for words in lexicon.recovered))
        self.topic: int | None = None
        if lexicon.topic:
            self.topic = self._class(frozenset((words, False) for words in lexicon.topic))
        self._part_sets = [frozenset(ids) for ids in self._parts]
        sizes = {cid: len(atoms) for atoms, cid in self.classes.items()}
        self._by_anchor: dict[int, list[int]] = {}
        for r, ids in enumerate(self._parts):
            anchor = min(ids, key=lambda c: sizes[c])
            self._by_anchor.setdefault(anchor, []).append(r)

    def _class(self, atoms: frozenset[Atom]) -> int:
        cid = self.classes.get(atoms)
        if cid is None:
            cid = self.classes[atoms] = len(self.classes)
            for atom in atoms:
                self._add_key(atom, cid)
        return cid

    def candidates(self, present: AbstractSet[int]) -> Iterator[int]:
        """Each rule with every part among the classes `present` (those of the atoms a message
        holds): the only rules that can match, wherever the atoms are."""
        for anchor in present:
            for r in self._by_anchor.get(anchor, ()):
                if present >= self._part_sets[r]:
                    yield r

    def possible(self, present: AbstractSet[int]) -> bool:
        """Some rule can match a message holding the classes `present` (`candidates`)."""
        return next(self.candidates(present), None) is not None

    def matches(self, found: Occurrences) -> list[tuple[int, Chain]]:
        """(rule index, chain) for every rule match in a message whose atoms were `found`."""
        out: list[tuple[int, Chain]] = []
        for r in self.candidates(found.keys()):
            out.extend((r, chain) for chain in self._chains(r, self._parts[r], found))
        return out

    def _chains(self, r: int, parts: tuple[int, ...], found: Occurrences) -> list[Chain]:
        gaps = self._gaps[r]
        places = [sorted(set(found[c])) for c in parts]
        out: list[Chain] = []
        reach = -1
        tighter = False
        for start in places[0][:MAX_STARTS]:
            chain = [start]
            if not _extend(chain, places, gaps):
                continue
            if chain[-1][1] > reach:
                reach = chain[-1][1]
                out.append(tuple(chain))
                tighter = False
            elif chain[-1][1] == reach:
                # Same end, later start: keep the tightest such chain too, so a negation
                # before the widest one's first part ("not now, but TONIGHT i end it") does
                # not hide the threat. The widest one is still the one reported.
                if tighter:
                    out[-1] = tuple(chain)
                else:
                    out.append(tuple(chain))
                    tighter = True
        return out


def _extend(
    chain: list[tuple[int, int]], places: list[list[tuple[int, int]]], gaps: tuple[int, ...]
) -> bool:
    i = len(chain)
    if i == len(places):
        return True
    prev = chain[-1][1]
    limit = prev + 1 + gaps[i]
    for place in places[i]:
        if place[0] > limit:
            break
        if prev < place[0]:
            chain.append(place)
            if _extend(chain, places, gaps):
                return True
            chain.pop()
    return False

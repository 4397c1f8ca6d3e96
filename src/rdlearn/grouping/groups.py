"""Random pairs, triads and small groups with roles, for the exercises.

:func:`make_groups` avoids repeat partners across rounds and rotates the roles of speaker,
listener and observer. Plain values in and out; the panel is :mod:`rdlearn.grouping.widget`.

>>> import random
>>> [g.roles for g in make_groups(4, rng=random.Random(1))]
[('speaker', 'listener'), ('speaker', 'listener')]
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["MAX_PEOPLE", "PRACTICE_ROLES", "ROLES", "Group", "check_roles", "clean_names",
           "group_sizes", "make_groups", "parse_names", "swap_roles"]

#: The largest room the pairing tool accepts.
MAX_PEOPLE = 200
_MAX_NAME = 40

#: Roles by group size: the first is the one who talks, the second the one who listens.
ROLES: dict[int, tuple[str, ...]] = {
    2: ("speaker", "listener"),
    3: ("speaker", "listener", "observer"),
}


#: The roles of a skills practice, in the same order: who talks, who listens, who watches.
PRACTICE_ROLES = ("client", "therapist", "observer")


def check_roles(roles: Sequence[str]) -> tuple[str, str, str]:
    """Three role names (who talks, who listens, who observes), each 1 to 20 characters.

    >>> check_roles(["client", "therapist", "observer"])
    ('client', 'therapist', 'observer')
    """
    if isinstance(roles, str) or len(roles) != 3:
        raise ValueError("Give three roles: who talks, who listens and who observes.")
    names = tuple(" ".join(str(r).split()) for r in roles)
    if not all(1 <= len(n) <= 20 for n in names):
        raise ValueError("Each role is a word or two, at most 20 characters.")
    return names  # type: ignore[return-value]


def _roles_for(size: int, roles: Sequence[str] | None = None) -> tuple[str, ...]:
    if roles is None:
        return ROLES.get(size, ("speaker", "listener") + ("observer",) * (size - 2))
    talker, listener, observer = roles
    return (talker, listener) + (observer,) * (size - 2)


@dataclasses.dataclass(frozen=True)
class Group:
    """One pair or small group: ``members`` and their ``roles`` in the same order."""

    members: tuple[str, ...]
    roles: tuple[str, ...]

    def role_of(self, name: str) -> str:
        """The role of the member ``name`` in this group."""
        return self.roles[self.members.index(name)]


def parse_names(text: str) -> list[str]:
    """Split what was typed in a names box (one per line, or separated by commas)."""
    if not isinstance(text, str):
        return []
    return [part for part in re.split(r"[\n,;]+", text) if part.strip()]


def clean_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Strip names and drop repeats (ignoring case).

    Returns ``(names, notes)``: the names to use, and messages about what was dropped.
    Raises ``ValueError`` for a name that is too long.
    """
    kept: list[str] = []
    seen: set[str] = set()
    notes = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > _MAX_NAME:
            raise ValueError(
                f"The name {name[:20]!r}... is longer than {_MAX_NAME} characters; "
                "a first name is enough."
            )
        key = name.casefold()
        if key in seen:
            notes.append(f"{name} appears twice; listed once. Add an initial to tell two apart.")
            continue
        seen.add(key)
        kept.append(name)
    return kept, notes


def _people(people: int | Iterable[str]) -> list[str]:
    if isinstance(people, bool):
        raise ValueError("Give a head count or a list of first names.")
    if isinstance(people, int):
        if not 2 <= people <= MAX_PEOPLE:
            raise ValueError(f"The head count must be from 2 to {MAX_PEOPLE}.")
        return [f"Person {n}" for n in range(1, people + 1)]
    if isinstance(people, str):
        people = parse_names(people)
    names, _ = clean_names(people)
    if len(names) < 2:
        raise ValueError("Type at least two names, or give a head count instead.")
    if len(names) > MAX_PEOPLE:
        raise ValueError(f"That is {len(names)} names; the tool takes at most {MAX_PEOPLE}.")
    return names


def group_sizes(count: int, size: int) -> list[int]:
    """How to split ``count`` people into groups close to ``size``, nobody left alone.

    >>> group_sizes(7, 2), group_sizes(7, 3), group_sizes(10, 4)
    ([3, 2, 2], [4, 3], [4, 3, 3])
    """
    best: tuple[int, list[int]] | None = None
    for groups in sorted({max(1, count // size), max(1, -(-count // size))}, reverse=True):
        base, extra = divmod(count, groups)
        sizes = [base + 1] * extra + [base] * (groups - extra)
        if min(sizes) < 2:
            continue
        cost = sum(abs(s - size) for s in sizes)
        if best is None or cost < best[0]:
            best = (cost, sizes)
    assert best is not None  # count >= 2 always allows one group
    return best[1]


def _history_counts(history: Iterable[Iterable[Any]]) -> tuple[Counter, dict[str, Counter]]:
    together: Counter = Counter()
    roles: dict[str, Counter] = {}
    for past_round in history or ():
        for group in past_round:
            members = group.members if isinstance(group, Group) else tuple(group)
            for a, b in itertools.combinations(members, 2):
                together[frozenset((a, b))] += 1
            if isinstance(group, Group):
                for name, role in zip(group.members, group.roles, strict=True):
                    roles.setdefault(name, Counter())[role] += 1
    return together, roles


def _grouping_cost(groups: Sequence[Sequence[str]], together: Counter) -> int:
    return sum(
        together[frozenset(pair)] for g in groups for pair in itertools.combinations(g, 2)
    )


def _best_grouping(
    people: list[str], sizes: list[int], together: Counter, rng: random.Random
) -> list[list[str]]:
    """Groups of the given sizes with as few repeat pairings as the search can find.

    An exhaustive search with pruning (exact for a small room), then swaps between groups
    to improve on it where the search had to stop early.
    """
    order = people[:]
    rng.shuffle(order)
    budget = [20000]
    best: list[Any] = [None, None]  # cost, groups

    def search(remaining: list[str], sizes_left: list[int], built: list[list[str]], cost: int):
        if best[0] is not None and (cost >= best[0] or budget[0] <= 0):
            return
        if not remaining:
            best[0], best[1] = cost, [g[:] for g in built]
            return
        budget[0] -= 1
        first, rest = remaining[0], remaining[1:]
        for size in sorted(set(sizes_left), reverse=True):
            left = sizes_left[:]
            left.remove(size)
            for mates in itertools.combinations(rest, size - 1):
                group = [first, *mates]
                added = _grouping_cost([group], together)
                built.append(group)
                search([p for p in rest if p not in mates], left, built, cost + added)
                built.pop()
                if best[0] == 0 or (best[0] is not None and budget[0] <= 0):
                    return

    search(order, sizes, [], 0)
    groups = best[1]
    improved = best[0] > 0
    while improved:
        improved = False
        for gi, gj in itertools.combinations(range(len(groups)), 2):
            for a, b in itertools.product(range(len(groups[gi])), range(len(groups[gj]))):
                before = _grouping_cost([groups[gi], groups[gj]], together)
                groups[gi][a], groups[gj][b] = groups[gj][b], groups[gi][a]
                if _grouping_cost([groups[gi], groups[gj]], together) < before:
                    improved = True
                else:
                    groups[gi][a], groups[gj][b] = groups[gj][b], groups[gi][a]
    return groups


def _assign_roles(group: list[str], roles: dict[str, Counter], rng: random.Random,
                  names: Sequence[str] | None = None) -> Group:
    """Give each member the role they have had least often (ties broken at random)."""
    wanted = _roles_for(len(group), names)
    options = list(itertools.permutations(group))
    rng.shuffle(options)
    best = min(
        options,
        key=lambda order: sum(
            roles.get(name, Counter())[role] for name, role in zip(order, wanted, strict=True)
        ),
    )
    return Group(members=tuple(best), roles=wanted)


def make_groups(
    people: int | Iterable[str],
    *,
    size: int = 2,
    rng: random.Random | None = None,
    history: Sequence[Sequence[Group | Sequence[str]]] = (),
    roles: Sequence[str] | None = None,
) -> list[Group]:
    """Form pairs (or triads, or groups of four) for one round of an exercise.

    Parameters
    ----------
    people
        A head count (``8`` gives "Person 1" to "Person 8") or a list of first names
        (stripped; repeats ignoring case are listed once).
    size
        2, 3 or 4. With an odd number of people in pairs, one group becomes a triad so that
        nobody is left alone.
    rng
        A ``random.Random`` (pass one with a seed to repeat a result).
    history
        Earlier rounds (lists of groups from this function). Repeat partners are kept as
        few as possible, and roles rotate: each person gets the role they have had least.
    roles
        Three role names to use instead of speaker, listener and observer, such as
        :data:`PRACTICE_ROLES`; a group of four has two of the third.

    Returns
    -------
    list of Group
        Each with its ``members`` and their ``roles`` (speaker, listener, observer).
    """
    if isinstance(size, bool) or size not in (2, 3, 4):
        raise ValueError("The group size must be 2, 3 or 4.")
    names_of_roles = None if roles is None else check_roles(roles)
    names = _people(people)
    rng = rng if rng is not None else random.Random()
    together, roles = _history_counts(history)
    groups = _best_grouping(names, group_sizes(len(names), size), together, rng)
    return [_assign_roles(g, roles, rng, names_of_roles) for g in groups]


def swap_roles(groups: Sequence[Group]) -> list[Group]:
    """The same groups with the roles passed round: each member takes the next one's role.

    Over as many swaps as a group has members, everyone takes every role once.

    >>> g = Group(members=("Ana", "Ben", "Cy"), roles=PRACTICE_ROLES)
    >>> swap_roles([g])[0].role_of("Ben")
    'client'
    """
    return [Group(members=g.members[1:] + g.members[:1], roles=g.roles) for g in groups]

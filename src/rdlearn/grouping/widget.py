"""The facilitator's pairing panel: names or a head count in, cards of groups out.

The search is :func:`rdlearn.grouping.make_groups`; this panel gathers the names,
checks them and shows each group on a large card (every name escaped).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import ipywidgets as w

from rdlearn.agenda.panel import status, stylesheet
from rdlearn.grouping.groups import (
    Group,
    check_roles,
    clean_names,
    make_groups,
    parse_names,
    swap_roles,
)
from rdlearn.web.html import esc, tag

__all__ = ["PairingPanel", "groups_html", "pairing"]


def groups_html(groups: list[Group], *, round_number: int) -> str:
    """Large cards, one per group, with each name (escaped) and its role."""
    word = {2: "Pair", 3: "Triad"}
    cards = []
    for number, group in enumerate(groups, start=1):
        title = f"{word.get(len(group.members), 'Group')} {number}"
        items = "".join(
            f"<li>{esc(name)}<span class=\"rd-fac-role\">{esc(role)}</span></li>"
            for name, role in zip(group.members, group.roles, strict=True)
        )
        cards.append(
            f'<section class="rd-fac-card" aria-label="{esc(title)}">'
            f"<h3>{esc(title)}</h3><ul>{items}</ul></section>"
        )
    heading = tag("h3", f"Round {round_number}")
    cards_html = '<div class="rd-fac-cards">' + "".join(cards) + "</div>"
    return stylesheet("grouping.css") + heading + cards_html


class PairingPanel(w.VBox):
    """Names or a head count in, groups out; each round avoids earlier partners."""

    def __init__(self, *, size: int = 2, rng: random.Random | None = None,
                 roles: Sequence[str] | None = None):
        self.rng = rng if rng is not None else random.Random()
        self.roles = None if roles is None else check_roles(roles)
        self.names = w.Textarea(
            placeholder="First names, one per line (or leave empty and give a head count)",
            description="Names", layout=w.Layout(width="28rem", height="9rem"),
        )
        self.head_count = w.IntText(
            value=0, description="Or a head count", style={"description_width": "initial"},
            layout=w.Layout(width="14rem"),
        )
        self.size = w.Dropdown(
            options=[("Pairs", 2), ("Triads", 3), ("Groups of four", 4)],
            value=size if size in (2, 3, 4) else 2, description="Group size",
            style={"description_width": "initial"},
        )
        self.make_button = w.Button(description="Make groups", button_style="primary")
        self.next_button = w.Button(description="Next round", disabled=True)
        self.swap_button = w.Button(description="Swap roles", disabled=True,
                                    tooltip="The same groups; each person takes the next role")
        self.swap_button.on_click(lambda _: self.swap())
        self.message = w.HTML()
        self.result = w.HTML()
        self.history: list[list[Group]] = []
        self.make_button.on_click(lambda _: self._round(new=True))
        self.next_button.on_click(lambda _: self._round(new=False))
        super().__init__(
            [
                self.names,
                w.HBox([self.head_count, self.size]),
                w.HBox([self.make_button, self.next_button, self.swap_button]),
                self.message,
                self.result,
            ],
        )

    def _people(self) -> tuple[int | list[str], list[str]]:
        typed = parse_names(self.names.value)
        if typed:
            names, notes = clean_names(typed)
            return names, notes
        return self.head_count.value, []

    def _round(self, *, new: bool) -> None:
        try:
            people, notes = self._people()
            size = self.size.value
            if size not in (2, 3, 4):
                raise ValueError("Choose pairs, triads or groups of four.")
            groups = make_groups(
                people, size=size, rng=self.rng, history=[] if new else self.history,
                roles=self.roles,
            )
        except ValueError as exc:
            self.message.value = status(str(exc))
            return
        except Exception:  # noqa: BLE001 - a facilitator sees a message, never a traceback
            self.message.value = status("Something went wrong making the groups; try again.")
            return
        if new:
            self.history = []
        self.history.append(groups)
        self.message.value = status(" ".join(notes), problem=False)
        self.result.value = groups_html(groups, round_number=len(self.history))
        self.next_button.disabled = False
        self.swap_button.disabled = False

    def swap(self) -> None:
        """Keep the groups of the last round and pass the roles round (a new round)."""
        if not self.history:
            return
        groups = swap_roles(self.history[-1])
        self.history.append(groups)
        self.message.value = ""
        self.result.value = groups_html(groups, round_number=len(self.history))


def pairing(*, size: int = 2, rng: random.Random | None = None,
            roles: Sequence[str] | None = None) -> PairingPanel:
    """Random pairs or small groups for an exercise, with new partners each round.

    Type first names (one per line) or give a head count, choose the group size, then
    "Make groups"; "Next round" keeps earlier partners apart where possible and rotates
    the roles of speaker, listener and observer; "Swap roles" keeps the groups and passes
    the roles round. ``roles`` names the three roles otherwise, such as
    ``("client", "therapist", "observer")`` for a skills practice in threes.
    """
    return PairingPanel(size=size, rng=rng, roles=roles)

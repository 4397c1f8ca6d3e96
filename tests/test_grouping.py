"""Random pairs, triads and groups with roles, over rounds."""

from __future__ import annotations

import itertools
import random

import pytest

from rdlearn.grouping import groups as grouping

# --------------------------------------------------------------------------- pairing


def _pairs_in(groups):
    return {frozenset(p) for g in groups for p in itertools.combinations(g.members, 2)}


def test_a_head_count_gives_numbered_people_in_pairs():
    groups = grouping.make_groups(8, rng=random.Random(1))
    people = sorted(name for g in groups for name in g.members)
    assert people == sorted(f"Person {n}" for n in range(1, 9))
    assert all(g.roles == ("speaker", "listener") for g in groups)


def test_names_are_stripped_and_repeats_ignoring_case_are_listed_once():
    names, notes = grouping.clean_names(["  Ana ", "ana", "Ben", "", "Ben", "Cleo  Marie"])
    assert names == ["Ana", "Ben", "Cleo Marie"]
    assert len(notes) == 2 and "ana" in notes[0]
    groups = grouping.make_groups(["  Ana ", "ANA", "Ben", "Cleo"], rng=random.Random(0))
    assert sorted(n for g in groups for n in g.members) == ["Ana", "Ben", "Cleo"]


def test_the_names_box_splits_on_lines_and_commas():
    assert grouping.parse_names("Ana\nBen, Cleo;Dev\n\n") == ["Ana", "Ben", " Cleo", "Dev"]


@pytest.mark.parametrize(
    "people, message",
    [([], "at least two"), (["Solo"], "at least two"), (["", "  "], "at least two"),
     (1, "from 2 to"), (0, "from 2 to"), (500, "from 2 to"), (True, "head count"),
     ([f"P{n}" for n in range(300)], "at most"), (["x" * 80, "Ben"], "longer than")],
)
def test_impossible_rooms_are_refused_with_a_message(people, message):
    with pytest.raises(ValueError, match=message):
        grouping.make_groups(people)


@pytest.mark.parametrize("size", [1, 5, "2", True])
def test_only_pairs_triads_or_fours(size):
    with pytest.raises(ValueError, match="2, 3 or 4"):
        grouping.make_groups(6, size=size)


@pytest.mark.parametrize("count", range(2, 30))
@pytest.mark.parametrize("size", [2, 3, 4])
def test_nobody_is_left_alone_and_groups_stay_close_to_the_size_asked(count, size):
    groups = grouping.make_groups(count, size=size, rng=random.Random(count))
    sizes = [len(g.members) for g in groups]
    assert sum(sizes) == count
    assert min(sizes) >= 2
    assert max(sizes) - min(sizes) <= 1
    assert all(abs(s - size) <= 1 for s in sizes) or count < size
    everyone = [n for g in groups for n in g.members]
    assert len(set(everyone)) == count


def test_an_odd_number_in_pairs_makes_one_triad_with_an_observer():
    groups = grouping.make_groups(["A", "B", "C", "D", "E"], rng=random.Random(2))
    assert sorted(len(g.members) for g in groups) == [2, 3]
    triad = next(g for g in groups if len(g.members) == 3)
    assert sorted(triad.roles) == ["listener", "observer", "speaker"]


def _zero_repeat_possible(people, history):
    """Brute force: can the room be paired with no repeat partner at all?"""
    together = {frozenset(p) for r in history for g in r for p in itertools.combinations(
        g.members, 2)}

    def match(left):
        if not left:
            return True
        first, rest = left[0], left[1:]
        return any(
            frozenset((first, other)) not in together
            and match([p for p in rest if p != other])
            for other in rest
        )

    return match(list(people))


@pytest.mark.parametrize("seed", range(6))
def test_over_seven_rounds_of_eight_no_pair_repeats_while_that_is_avoidable(seed):
    people = [f"Person {n}" for n in range(1, 9)]
    history = []
    for _ in range(7):
        avoidable = _zero_repeat_possible(people, history)
        groups = grouping.make_groups(8, rng=random.Random(seed), history=history)
        earlier = {p for past in history for p in _pairs_in(past)}
        if avoidable:
            assert not (_pairs_in(groups) & earlier)
        history.append(groups)


def test_repeats_are_kept_to_the_minimum_when_they_cannot_be_avoided():
    history = []
    for _ in range(4):  # four people have only three distinct pairings
        history.append(grouping.make_groups(4, rng=random.Random(3), history=history))
    counts = {}
    for past in history:
        for pair in _pairs_in(past):
            counts[pair] = counts.get(pair, 0) + 1
    assert len(counts) == 6  # every possible pair has met
    assert max(counts.values()) == 2  # and only one pairing came round twice


def test_roles_rotate_so_partners_take_turns_to_speak():
    history = []
    speakers = []
    for _ in range(4):
        groups = grouping.make_groups(["Ana", "Ben"], rng=random.Random(9), history=history)
        speakers.append(groups[0].members[groups[0].roles.index("speaker")])
        history.append(groups)
    assert speakers[0] != speakers[1] and speakers[1] != speakers[2]
    assert speakers.count("Ana") == speakers.count("Ben") == 2


def test_in_a_triad_everyone_takes_every_role_over_three_rounds():
    history = []
    for _ in range(3):
        history.append(grouping.make_groups(3, size=3, rng=random.Random(5), history=history))
    for person in ("Person 1", "Person 2", "Person 3"):
        roles = sorted(r[0].role_of(person) for r in history)
        assert roles == ["listener", "observer", "speaker"]


def test_a_seeded_generator_repeats_a_result_and_seeds_differ():
    one = grouping.make_groups(12, rng=random.Random(42))
    again = grouping.make_groups(12, rng=random.Random(42))
    assert one == again
    others = {tuple(g.members for g in grouping.make_groups(12, rng=random.Random(s)))
              for s in range(10)}
    assert len(others) > 1


def test_history_may_be_plain_lists_of_names():
    history = [[["A", "B"], ["C", "D"]]]
    groups = grouping.make_groups(["A", "B", "C", "D"], rng=random.Random(0), history=history)
    assert not (_pairs_in(groups) & {frozenset("AB"), frozenset("CD")})


def test_a_large_room_is_grouped():
    groups = grouping.make_groups(200, size=4, rng=random.Random(0))
    assert sum(len(g.members) for g in groups) == 200


# --------------------------------------------------------------------------- practice in threes


def test_practice_roles_name_client_therapist_and_observer():
    groups = grouping.make_groups(10, size=3, rng=random.Random(2),
                                  roles=grouping.PRACTICE_ROLES)
    assert sorted(len(g.members) for g in groups) == [3, 3, 4]
    for g in groups:
        assert g.roles[:3] == ("client", "therapist", "observer")
        assert set(g.roles[3:]) <= {"observer"}  # a group of four has two observers


def test_swapping_roles_keeps_the_groups_and_gives_everyone_each_role_once():
    first = grouping.make_groups(9, size=3, rng=random.Random(3),
                                 roles=grouping.PRACTICE_ROLES)
    rounds = [first]
    for _ in range(2):
        rounds.append(grouping.swap_roles(rounds[-1]))
    for index, group in enumerate(first):
        members = set(group.members)
        assert all(set(r[index].members) == members for r in rounds)
        for name in members:
            assert sorted(r[index].role_of(name) for r in rounds) == sorted(
                grouping.PRACTICE_ROLES)


@pytest.mark.parametrize("roles", [("client", "therapist"), "abc",
                                   ("client", "", "observer"), ("x" * 21, "b", "c")])
def test_bad_role_names_are_refused(roles):
    with pytest.raises(ValueError, match="role"):
        grouping.make_groups(6, size=3, roles=roles)


def test_the_pairing_panel_swaps_roles_in_the_same_triads():
    from rdlearn.grouping import widget

    panel = widget.pairing(size=3, roles=grouping.PRACTICE_ROLES, rng=random.Random(4))
    assert panel.swap_button.disabled
    panel.names.value = "Ana\nBen\nCy\nDee\nEd\nFay"
    panel.make_button.click()
    assert "therapist" in panel.result.value and "client" in panel.result.value
    panel.swap_button.click()
    assert "Round 2" in panel.result.value
    assert [set(g.members) for g in panel.history[1]] == [set(g.members)
                                                          for g in panel.history[0]]
    assert panel.history[1][0].roles == grouping.PRACTICE_ROLES

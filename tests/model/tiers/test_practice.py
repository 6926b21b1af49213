"""General practice backlogs: Little's law, first come first served, tolerance."""

import numpy as np
import pytest

from simulate.inputs.categories import ROUTINE, SAME_DAY
from simulate.model.tiers.book import GeneralPractice
from simulate.model.tiers.capacity import slots_on


def run_practice(days, rate, slots, tolerances, same_day_share=0.4, seed=0):
    rng = np.random.default_rng(seed)
    practice = GeneralPractice(1, 1, tolerances, rng)
    totals = dict(arrived=0, served=0, wait=0, left=np.zeros(2), backlog=0)
    for w in range(days):
        n = rng.poisson(rate)
        same = rng.binomial(n, same_day_share)
        arrivals = np.array([[[same, n - same]]])
        day = practice.working_day(w, arrivals, np.array([slots]))
        totals["arrived"] += n
        totals["served"] += int(day.served.sum())
        totals["wait"] += int(day.wait_sum.sum())
        totals["left"] += day.leavers_by_type.sum(axis=(0, 1))
        totals["backlog"] += int(day.backlog.sum())
    return totals, practice


@pytest.mark.parametrize("slots", [48, 52])
def test_littles_law_on_the_backlog(slots):
    # L = lambda W: mean end-of-day backlog = departures per day x mean days in the backlog, where
    # a request seen after d days spent d nights in it and a leaver spent its tolerance
    tolerances = (2, 14)
    days = 20_000
    t, practice = run_practice(days, rate=50, slots=slots, tolerances=tolerances)
    departures = t["served"] + t["left"].sum()
    time_in_backlog = (
        t["wait"] + t["left"][SAME_DAY] * tolerances[0] + t["left"][ROUTINE] * tolerances[1]
    )
    mean_backlog = t["backlog"] / days
    assert mean_backlog == pytest.approx(departures / days * time_in_backlog / departures, rel=0.03)
    # conservation: every request was seen, left, or is still waiting
    assert t["arrived"] == departures + practice.waiting


def test_oldest_requests_are_served_first():
    practice = GeneralPractice(1, 1, (2, 14), np.random.default_rng(1))
    practice.working_day(0, np.array([[[0, 10]]]), np.array([0]))  # 10 routine, no slots
    day = practice.working_day(1, np.array([[[0, 10]]]), np.array([10]))
    assert day.served.sum() == 10 and day.wait_sum.sum() == 10  # all of day 0's, one day each
    day = practice.working_day(2, np.array([[[0, 0]]]), np.array([4]))
    assert day.served.sum() == 4 and day.wait_sum.sum() == 4  # day 1's, waited one day


def test_requests_leave_at_their_tolerance_and_not_before():
    practice = GeneralPractice(1, 1, (2, 14), np.random.default_rng(1))
    practice.working_day(0, np.array([[[6, 3]]]), np.array([0]))
    left = [
        practice.working_day(w, np.zeros((1, 1, 2), int), np.array([0])).leavers_by_type[0, 0]
        for w in range(1, 16)
    ]
    assert [list(x) for x in left[:3]] == [[0, 0], [6, 0], [0, 0]]  # same-day leave on day 2
    assert list(left[13]) == [0, 3] and practice.waiting == 0  # routine leave on day 14


def test_partial_service_of_one_day_is_uniformly_random():
    # 10 same-day and 30 routine requests arrive together; 8 slots: the number of same-day
    # requests served is hypergeometric(10, 30, 8) with mean 2
    served_same_day = []
    for seed in range(2000):
        practice = GeneralPractice(1, 1, (2, 14), np.random.default_rng(seed))
        practice.working_day(0, np.array([[[10, 30]]]), np.array([8]))
        served_same_day.append(10 - practice.backlog[0, 0, 0, SAME_DAY])
    assert np.mean(served_same_day) == pytest.approx(2.0, abs=0.1)  # se 0.027


def test_fractional_slots_are_spread_without_loss():
    rate = np.array([78.54, 0.3])
    given = sum(slots_on(rate, t) for t in range(1000))
    assert list(given) == [78540, 300]


def test_exponential_patience_with_no_capacity_empties_the_book_as_theory_says():
    # with patience exponential (mean tau working days) and no slots, the share of a day's
    # requests gone by day d is 1 - exp(-d / tau); 100,000 requests: standard error under 0.002
    from simulate.inputs.distributions import Exponential

    tau = 3.0
    patience = Exponential(dist="exponential", mean=tau)
    practice = GeneralPractice(1, 1, (patience, 14), np.random.default_rng(7))
    arrivals = np.zeros((1, 1, 2), dtype=np.int64)
    arrivals[0, 0, SAME_DAY] = 100_000
    gone = 0
    for d in range(12):
        day = practice.working_day(d, arrivals if d == 0 else arrivals * 0, np.zeros(1, int))
        gone += int(day.leavers_by_type[0, 0, SAME_DAY])
        assert gone / 100_000 == pytest.approx(1 - np.exp(-d / tau), abs=0.006)


def test_a_number_is_a_cliff_and_a_fixed_distribution_the_same_cliff():
    from simulate.inputs.distributions import Fixed
    from simulate.model.tiers.book import leave_chances

    cliff = leave_chances((2, 14))
    fixed = leave_chances((Fixed(dist="fixed", value=2), Fixed(dist="fixed", value=14)))
    np.testing.assert_array_equal(cliff, fixed)
    assert cliff[2, SAME_DAY] == 1 and cliff[:2, SAME_DAY].sum() == 0 and cliff.shape == (15, 2)


def test_working_on_the_youngest_ages_only_changes_no_count_and_no_draw():
    # the book skips the ages nobody waits at; forced to work on the whole book every day (as
    # when the days are not consecutive) it must give the same days, and leave the streams equal
    from simulate.inputs.distributions import Exponential

    tolerances = (Exponential(dist="exponential", mean=2.0), 14)
    books = [GeneralPractice(3, 2, tolerances, np.random.default_rng(9)) for _ in range(2)]
    rng = np.random.default_rng(4)
    slots = np.array([30, 45, 60])
    for w in range(300):
        arrivals = rng.poisson(np.array([[20, 30], [12, 30]]), (3, 2, 2))
        books[1].depth = books[1].span  # the whole book
        a, b = (book.working_day(w, arrivals, slots) for book in books)
        for field in ("served", "wait_sum", "leavers_by_type", "backlog"):
            assert np.array_equal(getattr(a, field), getattr(b, field))
        assert np.array_equal(books[0].backlog, books[1].backlog)
    assert 1 < books[0].depth < books[0].span  # a backlog some days deep, not the whole book
    assert books[0].rng.random() == books[1].rng.random()

"""Several acute trusts in one replication: patients conserved, zero shares empty, and two
identical trusts splitting a doubled economy 50/50 each behave as the one-trust economy."""

import datetime as dt
import itertools
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from simulate.model.clock import Clock
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.shipped import shipped_dir

PLACES = shipped_dir() / "places"
FOLDER = Path(tempfile.mkdtemp(prefix="icsim-providers-"))
_NAMES = itertools.count()


def place_from_toml(text: str):
    """A place read from ``text`` as a file (beside the tiny place's practice CSV)."""
    shutil.copy(PLACES / "example-practices.csv", FOLDER)
    path = FOLDER / f"place{next(_NAMES)}.toml"
    path.write_text(text)
    return load_place(str(path))


TIERS = ["ae_attendances", "emergency_admissions", "bed_days", "outpatient_attendances"]


def with_trusts(trusts: str, north: str, south: str) -> str:
    """The tiny place's text with ``trusts`` for its trust and the localities' catchments."""
    text = (PLACES / "tiny.toml").read_text()
    start, end = text.index("[trust]"), text.index("[[practices]]")
    text = text[:start] + trusts + "\n" + text[end:]
    text = text.replace('name = "North"', f'name = "North"\ncatchment = {north}', 1)
    return text.replace('name = "South"', f'name = "South"\ncatchment = {south}', 1)


TWO = """
[[trusts]]
code = "A"
name = "Trust A"
ae_cubicles = 2
beds = 25

[[trusts]]
code = "B"
name = "Trust B"
ae_cubicles = 2
beds = 25
"""


@pytest.fixture(scope="module")
def split_run(baseline_tiny, short_clock):
    place = place_from_toml(
        with_trusts(
            TWO,
            "{ emergency = { A = 0.6, B = 0.4 }, outpatients = { A = 0.2, B = 0.8 } }",
            "{ emergency = { A = 1.0, B = 0.0 } }",
        )
    )
    return run_replication(baseline_tiny, place, short_clock, Streams(5, 0))


def test_provider_columns_add_up_to_the_practices_totals(split_run):
    out = split_run
    for name in TIERS:
        by_provider = out[f"provider_{name}"].sum("provider")
        total = out[name].sum(("practice", "cohort"))
        np.testing.assert_allclose(by_provider, total, rtol=1e-12)
    assert out["provider_ae_4h_breaches"].sum() == out["ae_4h_breaches"].sum()
    np.testing.assert_array_equal(out["provider_bed_capacity"].isel(month=0), [25, 25])
    ledger = json.loads(out.attrs["ledger"])
    assert ledger["ae_attendances"] == ledger["ae_departures"] + ledger["in_ae_at_end"]
    # each trust got its catchment's share: North (8,000 of 16,000 patients) 60/40, South all A
    seen = out["provider_ae_attendances"].sum("month").values
    assert 0.6 < seen[0] / seen.sum() < 0.9 and seen[1] > 0


def test_a_trust_with_zero_share_gets_nobody(baseline_tiny, short_clock):
    nobody = "{ emergency = { A = 1.0, B = 0.0 } }"
    place = place_from_toml(with_trusts(TWO, nobody, nobody))
    out = run_replication(baseline_tiny, place, short_clock, Streams(5, 0))
    for name in TIERS:
        values = out[f"provider_{name}"].sum("month").values
        assert values[1] == 0 and values[0] > 0, name


def _economy(copies: int, trusts: str, catchment: str) -> str:
    """A synthesised place of ``copies`` identical localities, each a federation of 2 practices."""
    text = (PLACES / "tiny.toml").read_text()
    head = text[: text.index("[[localities]]")].replace(
        'practice_csv = "example-practices.csv"\n', ""
    )
    parts = [head]
    for i in range(copies):
        parts.append(
            f'[[localities]]\ncode = "L{i}"\nname = "L{i}"\ncatchment = {catchment}\n'
            f'[[federations]]\ncode = "F{i}"\nname = "F{i}"\n'
        )
    parts.append("[community]\nname = 'C'\n")
    parts.append(f"nursing_caseload = {45 * copies}\nstepdown_beds = {4 * copies}\n{trusts}\n")
    for i in range(copies):
        for j, (size, fte) in enumerate(((8000, 4.0), (5000, 2.5))):
            parts.append(
                f'[[practices]]\ncode = "P{i}{j}"\nname = "P{i}{j}"\nfederation = "F{i}"\n'
                f'locality = "L{i}"\nlist_size = {size}\nage_profile = "england"\n'
                f"deprivation_quintile = 3\ngp_fte = {fte}\nnurse_fte = 2.0\n"
            )
    return "\n".join(parts)


ONE = """
[trust]
code = "A"
name = "Trust A"
ae_cubicles = 4
beds = 45
"""


def test_two_identical_trusts_splitting_fifty_fifty_each_match_the_half_economy(baseline_tiny):
    # The doubled economy's A&E arrivals are two independent copies' arrivals pooled, then sent
    # to either trust with chance 1/2: each trust sees, in distribution, one copy's arrivals, and
    # its A&E and beds are those of the one-trust economy of half the size. Compared on the
    # replication means of 6 replications of 5 months (Welch t within 4 standard errors; measured
    # |t| < 1.3), and the standard errors are small enough (< 4% of the mean; measured 0.5-2.3%)
    # for the check to bite. The trusts are loaded but not gridlocked (waits 10% over treatment,
    # beds 70% full), where a replication mean is a steady state's.
    clock = Clock(dt.date(2019, 4, 1), months=5, warmup_months=1)
    half = place_from_toml(_economy(1, ONE, "{ emergency = { A = 1.0 } }"))
    two = TWO.replace("ae_cubicles = 2", "ae_cubicles = 4").replace("beds = 25", "beds = 45")
    double = place_from_toml(_economy(2, two, "{ emergency = { A = 0.5, B = 0.5 } }"))
    names = ["ae_attendances", "ae_wait_hours", "emergency_admissions", "beds_occupied"]
    small = {n: [] for n in names}
    big = {n: [] for n in names}
    for r in range(6):
        one = run_replication(baseline_tiny, half, clock, Streams(11, r))
        both = run_replication(baseline_tiny, double, clock, Streams(12, r))
        for n in names:
            small[n].append(float(one[f"provider_{n}"].mean("month").sum()))
            big[n] += one_value_per_trust(both[f"provider_{n}"])
    for n in names:
        a, b = np.array(small[n]), np.array(big[n])
        assert stats.sem(b) < 0.04 * b.mean(), n
        t = (a.mean() - b.mean()) / np.hypot(stats.sem(a), stats.sem(b))
        assert abs(t) < 4, (n, a.mean(), b.mean())


def one_value_per_trust(values) -> list[float]:
    """The month mean of each trust."""
    return values.mean("month").values.tolist()

"""The report's words: the opening paragraph, the STRESS-DES checklist and the limitations.

Kept apart from :mod:`simulate.results.report` so the prose can be read and corrected on its own.
The checklist items follow Monks et al. (2019), "Strengthening the reporting of empirical simulation
studies: Introducing the STRESS guidelines", Journal of Simulation 13(1); each answer is filled
from the cube's provenance where the cube records it, and says so plainly where it does not.
"""

from __future__ import annotations

import html
import json

from simulate.results.scope import ENGINES, place_words


def plain(c: dict) -> str:
    """The opening paragraph: what was compared, on what, and how to read the numbers."""
    a = c["attrs"]
    others = [s for s in c["scenarios"] if s != c["baseline"]]
    return (
        f"<p>This report compares <b>{html.escape(', '.join(others))}</b> against "
        f"<b>{html.escape(c['baseline'])}</b> in {html.escape(c['place'])} ({c['practices']} "
        f"GP practices, {c['population']:,.0f} registered patients) over {a['months']} months "
        f"from {html.escape(str(a['start']))}, each scenario run {a['replications']} times with "
        "the same simulated patients (common random numbers). A difference is the scenario minus "
        "the baseline, averaged over those runs; the 95% confidence interval says how sure the "
        "simulation is of it. An interval that includes zero means the simulation cannot tell "
        "the scenario from the baseline on that measure. These are results of a model, not "
        "observations: read them with the assumptions and limitations below.</p>"
    )


def _versions(a: dict) -> str:
    found = json.loads(a.get("versions", "{}"))
    return ", ".join(f"{k} {v}" for k, v in found.items())


def STRESS_DES(c: dict) -> str:  # noqa: N802 - the checklist's own name
    """The STRESS-DES checklist as a table, answered from the cube.

    The items are gathered section by section (objectives, logic, data, experimentation,
    implementation, code access) so each answer sits beside the provenance it reads; the
    sections whose answers the cube cannot change are constants.
    """
    a = c["attrs"]
    hashes = ", ".join(f"{k} {v[:12]}" for k, v in json.loads(a["scenario_sha256"]).items())
    items = [
        *_objectives(c),
        *_logic(c["scope"]),
        *_data(c["scope"]),
        *_experimentation(a),
        *_implementation(a, c["scope"]),
        *_code_access(a, hashes),
    ]
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in items)
    head = "<thead><tr><th>item</th><th>this study</th></tr></thead>"
    return f"<table class=stress>{head}{rows}</table>"


def _objectives(c: dict) -> list[tuple[str, str]]:
    """STRESS section 1: what the model is for and measures, and what this study compares."""
    return [
        (
            "1.1 Purpose",
            "Estimate how changes to general practice and the federation's "
            "extended-access hub alter A&E use, emergency admissions, bed occupancy and cost.",
        ),
        (
            "1.2 Outputs",
            "Per month, practice and cohort (number of long-term conditions): "
            "appointments, waits, hub use, A&E attendances, admissions, bed days, cost; "
            "system-level A&E 4-hour breaches, time in A&E and beds occupied. "
            "See docs/reference/cube.md.",
        ),
        (
            "1.3 Experimentation aims",
            f"Scenarios {', '.join(c['scenarios'])}; paired differences against {c['baseline']}.",
        ),
    ]


def _logic(s) -> tuple[tuple[str, str], ...]:
    """STRESS section 2, the model's logic, with the engine the run used."""
    return _LOGIC_COMMON[:1] + (
        ("2.2 Base model logic", f"This run used {ENGINES.get(s.mode, s.mode)}."),
        *_LOGIC_COMMON[1:3],
        (
            "2.5.1 Entities",
            "Requests (counted by practice, cohort and day, not individually) in general practice"
            + (
                "; patients as events in A&E, beds and community care."
                if s.mode == "hybrid"
                else "; expected flows of patients elsewhere."
            ),
        ),
        *_LOGIC_COMMON[3:],
    )


_LOGIC_COMMON = (
    (
        "2.1 Overview",
        "Registered population by practice and cohort; requests to practices; "
        "leavers to the hub, A&E or giving up; A&E cubicles; admission; acute and step-down "
        "beds; community nursing; monthly stocks of population, workforce and funding. See "
        "docs/explanation/model.md.",
    ),
    (
        "2.3 Scenario logic",
        "Scenarios are TOML files that override the baseline's "
        "parameters; the resolved texts are in the cube and in the assumptions table.",
    ),
    (
        "2.4 Algorithms",
        "Poisson demand per practice, cohort and day; first-come first-served "
        "backlogs; lognormal treatment times and lengths of stay; Bernoulli admission by "
        "cohort.",
    ),
    ("2.5.2 Activities", "Practice appointment, hub appointment, A&E treatment, bed stay."),
    (
        "2.5.3 Resources",
        "Practice slots (GP FTE x appointments per FTE per day), hub "
        "slots (minutes per 1,000 per week), A&E cubicles, acute beds.",
    ),
    (
        "2.5.4 Queues",
        "Practice backlogs (first come, first served, with patience); A&E "
        "cubicle queue (FCFS); patients waiting for a bed board in A&E.",
    ),
    (
        "2.5.5 Entry and exit",
        "Entry: requests and A&E attendances drawn from the "
        "registered population. Exit: seen and discharged, gave up, or left the hospital.",
    ),
)
"""STRESS section 2 items that do not depend on the run."""


def _data(s) -> tuple[tuple[str, str], ...]:
    """STRESS section 3: where the parameters and the place came from."""
    return (
        (
            "3.1 Data sources",
            "Parameters cite rows of shared/evidence/defaults.toml (see the assumptions table); "
            f"the place is {place_words(s)}.",
        ),
        *_DATA,
    )


_DATA = (
    (
        "3.2 Pre-processing",
        "None inside icsim: the evidence rows are summarised by hand "
        "into the shipped scenario files, with the arithmetic in their comments.",
    ),
    ("3.3 Input parameters", "All parameters are listed in the assumptions table."),
    (
        "3.4 Assumptions",
        "Marked 'assumption' in the assumptions table where the shipped "
        "file says so; see also the limitations.",
    ),
)
"""STRESS section 3, the data: where the parameters come from, answered by the tables below it."""


def _experimentation(a: dict) -> list[tuple[str, str]]:
    """STRESS section 4: warm-up, run length and replications, as the cube records them."""
    return [
        (
            "4.1 Initialisation",
            f"{a['warmup_months']} warm-up months are simulated before the reported period "
            "and not reported.",
        ),
        ("4.2 Run length", f"{a['months']} reported months from {a['start']}."),
        (
            "4.3 Estimation approach",
            f"{a['replications']} replications per scenario; paired "
            "differences with 95% t-intervals over replications.",
        ),
    ]


def _implementation(a: dict, s) -> list[tuple[str, str]]:
    """STRESS section 5: the versions and the root seed the cube records, so a reader can rerun."""
    return [
        ("5.1 Software", f"icsim {a['icsim_version']}; {_versions(a)}."),
        (
            "5.2 Random sampling",
            f"Named streams from NumPy SeedSequence keyed by (root seed "
            f"{a['root_seed']}, replication, stream name); common random numbers across scenarios.",
        ),
        (
            "5.3 Model execution",
            f"{ENGINES.get(s.mode, s.mode)[0].upper()}{ENGINES.get(s.mode, s.mode)[1:]}; "
            "replications independent.",
        ),
        (
            "5.4 System specification",
            "Not recorded in the cube; the run is reproducible on any "
            "machine with the same versions (icsim reproduce).",
        ),
    ]


def _code_access(a: dict, hashes: str) -> list[tuple[str, str]]:
    """STRESS section 6: the command, date and scenario hashes that identify the run's inputs."""
    return [
        (
            "6.1 Code access",
            f"icsim source, MIT licence; command: {a['command']}; created "
            f"{a['created']}; scenario SHA-256: {hashes}. Rebuild with icsim reproduce.",
        ),
    ]

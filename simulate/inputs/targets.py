"""Whether a scenario's interventions name practices, federations and localities its place has.

Checked when a scenario is validated and before a run computes its first part: the model would
find out only when the lever is built, after other parts were written.
"""

from __future__ import annotations

from pathlib import Path

from simulate.errors import InputError, InputErrors

_TARGETS = (("practices", "practice"), ("federations", "federation"), ("localities", "locality"))


def target_problems(spec, place_spec, file: str | Path | None) -> list[InputError]:
    """A problem for each target of ``spec.interventions`` not in ``place_spec``."""
    have = {
        "practices": {p.code for p in place_spec.practices},
        "federations": {f.code for f in place_spec.federations},
        "localities": {loc.code for loc in place_spec.localities},
    }
    problems = []
    for lever in type(spec.interventions).model_fields:
        chosen = getattr(spec.interventions, lever)
        for field, word in _TARGETS:
            named = getattr(chosen, field, [])
            for code in [] if named == "all" else named:
                if code not in have[field]:
                    problems.append(
                        InputError(
                            f"no {word} {code!r} in place {place_spec.name!r}",
                            file=file,
                            key=f"interventions.{lever}.{field}",
                        )
                    )
    return problems


def check_targets(spec, place_spec, file: str | Path | None) -> None:
    """Raise every problem of :func:`target_problems` at once."""
    problems = target_problems(spec, place_spec, file)
    if problems:
        raise InputErrors(problems)

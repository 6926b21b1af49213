"""A cube of many scenarios, made from a small one without running anything."""

import json

import xarray as xr


def many_scenarios(cube: xr.Dataset, n: int = 9) -> xr.Dataset:
    """``cube``'s last scenario copied into ``n - 1`` named variants, each a little different."""
    base = cube.isel(scenario=[0])
    other = cube.isel(scenario=[-1])
    variants = [base]
    for i in range(1, n):
        variant = other.copy(deep=True)
        for name in ("emergency_admissions", "cost", "ae_attendances"):
            variant[name] = variant[name] * (1 + 0.01 * i)
        variants.append(variant.assign_coords(scenario=[f"variant-{i:02d}-with-a-long-name"]))
    many = xr.concat(variants, dim="scenario")
    many.attrs = dict(cube.attrs)
    names = [str(s) for s in many.scenario.values]
    many.attrs["scenario_sha256"] = json.dumps(
        {s: f"{i:02d}abcdef0123456789" for i, s in enumerate(names)}
    )
    for key in ("scenario_toml", "place_toml"):
        if key in cube.attrs:
            texts = json.loads(cube.attrs[key])
            first, last = list(texts.values())[0], list(texts.values())[-1]
            many.attrs[key] = json.dumps(
                {s: first if i == 0 else last for i, s in enumerate(names)}
            )
    return many

"""What a cube says about organisations: spread between practices, budgets by provider.

A variation programme aims to narrow the spread between practices; an integrated organisation
(the trust of a Symphony-style scenario, an MCP) answers for the whole cost of its practices'
patients. Both are read from the cube alone (its ``practice_provider`` coordinate and variables).
"""

from __future__ import annotations


def practice_variation(cube, variable: str = "emergency_admissions"):
    """Coefficient of variation between practices of a rate per head, per scenario and replication.

    Practices are not named: this is the spread a variation programme aims to narrow.
    """
    counts = cube[variable].sum(("month", "cohort"))
    heads = cube["registered_population"].mean("month").sum("cohort")
    rate = counts / heads
    return rate.std("practice") / rate.mean("practice")


def budget_by_provider(cube, scenario: str):
    """Cost and capitated budget (GBP over the run, mean of replications) by provider.

    One budget across practice and hospital: the integrated organisation (the trust of a
    Symphony-style scenario, the MCP) answers for the whole cost of its practices' patients.
    """
    data = cube.sel(scenario=scenario)
    owners = data["practice_provider"].values
    cost = data["cost"].sum(("month", "cohort")).mean("replication").values
    budget = data["capitated_budget"].sum("month").mean("replication").values
    return {
        owner: {
            "cost_gbp": float(cost[owners == owner].sum()),
            "capitated_budget_gbp": float(budget[owners == owner].sum()),
        }
        for owner in dict.fromkeys(owners.tolist())
    }

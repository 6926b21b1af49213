"""Every figure of the report, in the order the report shows them."""

from __future__ import annotations

from simulate.results.plots import (
    cost_concentration,
    cost_effect_plane,
    fan_chart,
    forest_plot,
    funnel_plot,
)
from simulate.results.system_plots import provider_plot, years_figure

FIGURES = (
    fan_chart,
    forest_plot,
    cost_effect_plane,
    funnel_plot,
    cost_concentration,
    provider_plot,
    years_figure,
)

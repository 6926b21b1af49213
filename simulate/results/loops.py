"""The causal-loop diagram of the coupled model, drawn from the model's own list of links."""

from __future__ import annotations

import numpy as np

from simulate.model.stocks.loops import LINKS, Link


def draw_loops(path, links: tuple[Link, ...] = LINKS):
    """Draw ``links`` as a causal-loop diagram (nodes on a circle, signed arrows) to ``path``.

    Returns the figure's links as drawn, ``(cause, effect, sign)``, so a test can check that the
    picture is exactly the code's list.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nodes = list(dict.fromkeys(name for link in links for name in (link.cause, link.effect)))
    angle = np.linspace(0, 2 * np.pi, len(nodes), endpoint=False) + np.pi / 2
    where = {name: (np.cos(a), np.sin(a)) for name, a in zip(nodes, angle)}
    figure, axes = plt.subplots(figsize=(9, 9))
    drawn = []
    for link in links:
        (x0, y0), (x1, y1) = where[link.cause], where[link.effect]
        colour = "tab:blue" if link.sign > 0 else "tab:red"
        axes.annotate(
            "",
            xy=(x1 * 0.9, y1 * 0.9),
            xytext=(x0 * 0.9, y0 * 0.9),
            arrowprops=dict(
                arrowstyle="-|>",
                color=colour,
                linestyle="--" if link.delayed else "-",
                connectionstyle="arc3,rad=0.15",
                shrinkA=14,
                shrinkB=14,
            ),
        )
        mx, my = (x0 + x1) / 2 * 0.9, (y0 + y1) / 2 * 0.9
        axes.text(mx, my, "+" if link.sign > 0 else "−", color=colour, fontsize=13, weight="bold")
        drawn.append((link.cause, link.effect, link.sign))
    for name, (x, y) in where.items():
        axes.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=9,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="grey"),
        )
    axes.set_xlim(-1.35, 1.35)
    axes.set_ylim(-1.25, 1.25)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(
        "icsim feedback loops (simulate.model.stocks.loops.LINKS): "
        "blue +, red −, dashed through a delay"
    )
    figure.savefig(path, metadata={"Date": None} if str(path).endswith(".svg") else None)
    plt.close(figure)
    return drawn

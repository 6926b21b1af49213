"""icsim: a simulator of integrated care for NHS health economies.

The package splits into three parts that never mix: the *model* (``place``, ``engine``,
``services/``, ``dynamics``), the *experiment* (``streams``, ``experiment``) and the *results*
(``cube``, ``compare``). ``cli`` is the thin command line over all three.
"""

__version__ = "0.1.0"

"""The planner's web app (``icsim app``): a thin layer over the same functions the commands call.

The pages (place, scenario, run, results) are Shiny for Python; everything they show is made by
the inputs, experiment and results packages, exactly as the commands make it. This package owns
only what a browser needs beyond a terminal: the form a scenario's schema becomes
(:mod:`simulate.app.fields`), a scenario edited in that form and saved as a file
(:mod:`simulate.app.builder`), runs started, watched, cancelled and resumed from a page
(:mod:`simulate.app.runs`), and files a browser may upload or download (:mod:`simulate.app.files`).
The framework is imported only by :mod:`simulate.app.server` and the page modules, so nothing
here slows ``icsim --help``.
"""

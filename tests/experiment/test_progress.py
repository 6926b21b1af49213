"""Progress says what it means: elapsed before "elapsed", time left before "left", a word while
the cube is written, and no "0/6 parts already done" on a fresh run."""

import io

from simulate.experiment.progress import Bar, Lines


def test_lines_of_a_fresh_run_and_its_end():
    """Defect 9: a fresh run logged "0/6 parts already done"; 100% said nothing of the write."""
    stream = io.StringIO()
    lines = Lines(stream, every=0.0)
    for done in range(7):
        lines(done, 6)
    text = stream.getvalue().splitlines()
    assert text[0] == "icsim: 6 parts to run"
    assert "already done" not in stream.getvalue()
    assert text[-1].startswith("icsim: 6/6 parts") and text[-1].endswith("; writing the cube")
    assert "elapsed" in text[1] and "left" in text[1]
    resumed = io.StringIO()
    Lines(resumed)(2, 6)
    assert resumed.getvalue().strip() == (
        "icsim: 2/6 parts already done (from an earlier run), 4 to run"
    )


def test_bar_reads_elapsed_then_left():
    """Defect 9: the bar showed the elapsed time before "left", so it read "59 s left"."""
    bar = Bar(io.StringIO())
    words = [getattr(c, "text_format", type(c).__name__) for c in bar.progress.columns]
    elapsed, remaining = words.index("TimeElapsedColumn"), words.index("TimeRemainingColumn")
    assert words[elapsed + 1] == "elapsed," and words[remaining + 1] == "left"
    bar(0, 2)
    bar(2, 2)
    task = bar.progress.tasks[0]
    assert task.fields["doing"] == "writing the cube"
    bar.close()

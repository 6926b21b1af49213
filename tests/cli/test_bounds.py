"""Inputs that would run for ever or exhaust memory are refused at once, in one line each.

A change starting in month 10^9, ten thousand changes, a practice of 10^11 persons, and a
``--scheduler`` that accepts a connection and never answers (an HTTP server) or answers with
garbage: each ends within seconds, exit 2, naming the file or option, leaving no output folder.
"""

import http.server
import socketserver
import threading
import time

import pytest

from simulate.experiment import executors
from simulate.shipped import shipped_dir
from tests.cli.test_hostile import one_line

BASELINE = shipped_dir() / "baseline.toml"
TINY = shipped_dir() / "places" / "tiny.toml"


def _with_changes(tmp_path, *changes: str):
    path = tmp_path / "phased.toml"
    path.write_text(f'extends = "{BASELINE}"\n' + "".join(changes))
    return path


def _change(start: int, ramp: int = 0) -> str:
    return (
        '[[changes]]\nkey = "demand.same_day_share"\nto = 0.5\n'
        f"start_month = {start}\nramp_months = {ramp}\n"
    )


def test_a_change_a_billion_months_away_is_refused_at_once(tmp_path, capsys):
    path = _with_changes(tmp_path, _change(10**9))
    began = time.monotonic()
    line = one_line(capsys, 2, ["validate", path], path, "changes[0].start_month", "1200")
    assert time.monotonic() - began < 5, line


def test_a_century_long_ramp_validates_without_walking_its_months(tmp_path, capsys):
    """The rules across parameters are linear, so the ramp's corners are all it checks."""
    from simulate.cli import main

    path = _with_changes(tmp_path, _change(1, 1199))
    began = time.monotonic()
    assert main(["validate", str(path)]) == 0
    assert time.monotonic() - began < 5


def test_ten_thousand_changes_are_refused_in_one_short_line(tmp_path, capsys):
    path = _with_changes(tmp_path, *(_change(i) for i in range(10_000)))
    line = one_line(capsys, 2, ["validate", path], path, "changes", "at most 1000")
    assert len(line) < 1200, len(line)  # the value quoted, not all ten thousand of it


def test_a_population_too_large_to_hold_is_refused_before_it_is_made(tmp_path, capsys):
    place = tmp_path / "huge.toml"
    text = TINY.read_text().replace(
        "example-practices.csv", str(TINY.parent / "example-practices.csv")
    )
    place.write_text(text.replace("list_size = 8000", "list_size = 100000000000", 1))
    began = time.monotonic()
    one_line(capsys, 2, ["validate", place], place, "practices", "GiB of memory")
    out = tmp_path / "out"
    one_line(capsys, 2, ["run", "--place", place, "-n", "1", "--out", out, "-q"], "GiB")
    assert time.monotonic() - began < 20
    assert not out.exists()


class _Silent(http.server.BaseHTTPRequestHandler):
    """An HTTP server: it waits for a request line that dask's handshake never sends."""

    def log_message(self, *args):
        pass


class _BadRequest(socketserver.BaseRequestHandler):
    """Answers anything with HTTP 400, which dask would read as a 3 EiB frame length."""

    def handle(self):
        self.request.recv(100)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize(
    ("handler", "says"),
    [(_Silent, "no answer in the handshake"), (_BadRequest, "cannot reach a dask scheduler")],
)
def test_a_scheduler_that_is_not_dask_is_refused_in_seconds(
    tmp_path, capsys, monkeypatch, handler, says
):
    monkeypatch.setattr(executors, "HANDSHAKE_SECONDS", 1.0)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.server_address[1]}"
    out = tmp_path / "out"
    try:
        began = time.monotonic()
        args = ["run", "--place", "tiny", "-n", "1", "--months", "1", "--out", out, "-q"]
        one_line(capsys, 2, [*args, "--scheduler", address], "--scheduler", says)
        assert time.monotonic() - began < 30
    finally:
        server.shutdown()
        server.server_close()
    assert not out.exists()

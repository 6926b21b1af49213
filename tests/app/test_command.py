"""``icsim app`` itself: where it listens, and its bad options as one line."""

from __future__ import annotations

import pytest

from simulate.cli import main
from simulate.cli.app import loopback


@pytest.mark.parametrize(
    "host, alone",
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.4", False), ("my-laptop", False)],
)  # fmt: skip
def test_only_loopback_addresses_keep_the_app_on_this_machine(host, alone):
    assert loopback(host) is alone


def test_a_bad_port_is_one_line_and_exit_2(capsys):
    assert main(["app", "--port", "0"]) == 2
    assert capsys.readouterr().err == "icsim: --port: must be a port from 1 to 65535\n"


def test_sharing_on_a_network_is_warned_about(capsys, monkeypatch, tmp_path):
    served = []
    monkeypatch.setattr("simulate.app.server.serve", lambda *args: served.append(args))
    assert main(["app", "--host", "0.0.0.0", "--port", "8123", "--results", str(tmp_path)]) == 0
    said = capsys.readouterr()
    assert said.err.startswith("icsim: warning: serving on 0.0.0.0: anyone who can reach port")
    assert served == [(tmp_path, "0.0.0.0", 8123)]
    assert main(["app", "--results", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""  # on 127.0.0.1, nothing to warn of

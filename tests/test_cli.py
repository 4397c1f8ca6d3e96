"""`rdlearn serve` refuses what it cannot do with one line, never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from rdlearn.serve.app import ServeOptions, voila_config
from rdlearn.serve.cli import notebooks_dir


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rdlearn.serve.cli", *args], capture_output=True, text=True,
        timeout=60,
    )


def test_port_in_use_is_one_clear_line():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"rdlearn: error: port {port} is already in use: stop the other "
                     "program, or choose another port with --port"]


def test_missing_notebook_folder_is_one_clear_line(tmp_path):
    result = run_cli("serve", "--notebooks", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"rdlearn: error: notebook folder not found: {tmp_path / 'nowhere'}"
    ]


@pytest.mark.parametrize(
    "args",
    [["--port", "0"], ["--port", "70000"], ["--room-size", "0"], ["--refill-delay", "-1"]],
)
def test_out_of_range_options_are_refused(args):
    result = run_cli("serve", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("rdlearn: error: --")


def test_configuration_hides_sources_and_tracebacks_and_listens_locally():
    config = voila_config(ServeOptions(notebooks=notebooks_dir()))
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.Voila.ip == "127.0.0.1"
    assert config.VoilaConfiguration.template == "rdlearn"
    assert config.MappingKernelManager.cull_idle_timeout > 0


def test_pool_grows_with_the_room_but_shared_screens_keep_one():
    small = ServeOptions(notebooks=notebooks_dir(), room_size=4).pool_sizes()
    large = ServeOptions(notebooks=notebooks_dir(), room_size=40).pool_sizes()
    assert "00_welcome.ipynb" not in large  # served as plain HTML, without a kernel
    assert small["10_day.ipynb"] == 4 and large["10_day.ipynb"] == 40  # the whole day, one each
    assert "02_relatedness-and-wellbeing.ipynb" not in large  # its address leads to the day
    for name in ("05_keynote_research-findings.ipynb", "06_facilitator-console.ipynb",
                 "07_keynote-hall.ipynb"):
        assert large[name] == 1


def _tiny_workshop(folder):
    """A folder with one small page, so a real ``rdlearn serve`` warms in seconds."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("1 + 1")]
    folder.mkdir()
    nbformat.write(nb, folder / "01_a-page.ipynb")
    return folder


DEVELOPER_WARNINGS = ("without encryption", "susceptible to eavesdropping", "is not trusted")


def test_serve_shows_progress_then_the_address_and_keeps_library_warnings_in_its_log(tmp_path):
    from tests.support.harness import RunningServer

    log_file = tmp_path / "logs" / "serve.log"
    server = RunningServer(room_size=3, facilitator_key="calm-key", extra_args=[
        "--notebooks", str(_tiny_workshop(tmp_path / "pages")), "--log-file", str(log_file)])
    server.start(timeout=120)
    try:
        shown = server.log_path.read_text()  # everything the terminal showed
    finally:
        server.stop()
    lines = shown.splitlines()
    assert lines[:2] == [f"Starting rdlearn with {tmp_path / 'pages'} for a room of 3.",
                         f"Messages for developers go to {log_file}"]
    progress = [line for line in lines if line.startswith("Warming up: [")]
    assert progress[0].endswith("0/3 pages ready, estimating the time left...")
    assert progress[-1].startswith("Warming up: [########################] 3/3 pages ready in")
    assert all(" left" in line for line in progress[1:-1])  # an estimate while warming
    assert f"rdlearn is ready: {server.url}" in lines
    assert "Facilitator key: calm-key  (the facilitator console asks for it)" in lines
    assert shown.count(str(log_file)) == 1
    assert not [w for w in DEVELOPER_WARNINGS if w in shown], shown
    kept = log_file.read_text()
    assert "Kernel is running over TCP without encryption" in kept
    assert "is not trusted" in kept

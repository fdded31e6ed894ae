"""make run prints the portal's address only once the web server accepts connections."""

import socket
import subprocess
import sys
import time
from pathlib import Path

from kla_portal import siap

ROOT = Path(__file__).resolve().parents[2]


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_wait_ends_when_the_port_answers_and_not_before():
    port = port_bebas()
    mulai = time.monotonic()
    assert siap.tunggu("127.0.0.1", port, batas_detik=0.5) is False
    assert time.monotonic() - mulai >= 0.5
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        assert siap.tunggu("127.0.0.1", port, batas_detik=5) is True


def test_the_address_is_printed_only_after_the_server_listens_and_a_stop_ends_it_cleanly():
    port = port_bebas()
    proses = subprocess.Popen(
        [sys.executable, "-m", "kla_portal.siap", "127.0.0.1", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1)
        assert proses.poll() is None  # still waiting, nothing printed yet
        with socket.socket() as server:
            server.bind(("127.0.0.1", port))
            server.listen()
            baris = proses.stdout.readline()
        assert baris.startswith(f"Portal siap: http://127.0.0.1:{port}/")
        proses.terminate()  # what honcho does on Ctrl-C
        assert proses.wait(timeout=10) == 0
    finally:
        if proses.poll() is None:
            proses.kill()
            proses.wait()

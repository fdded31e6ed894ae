"""``make run``'s announcement: the portal's address, printed only once the web server accepts
connections (Procfile.dev starts it beside the server and the worker), so the address a person
opens always answers. It then waits until honcho stops it with the others."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import time


def tunggu(host: str, port: int, batas_detik: float = 120.0) -> bool:
    """True once a TCP connection to ``host:port`` succeeds, False after ``batas_detik``."""
    akhir = time.monotonic() + batas_detik
    while time.monotonic() < akhir:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def main(argv: list[str]) -> int:
    host, port = argv[0], int(argv[1])
    if tunggu(host, port):
        print(
            f"Portal siap: http://{host}:{port}/ "
            "(server web dan pekerja Celery; Ctrl-C menghentikan keduanya)",
            flush=True,
        )
    else:
        print(f"Server web belum menjawab di {host}:{port}; lihat pesan di atas.", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        signal.pause()  # honcho stops every process when one ends: this one waits for it
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

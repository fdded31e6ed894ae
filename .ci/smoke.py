"""Start the production stack of docker-compose.yml natively and check /health/.

There is no Docker engine here, so the commands of the compose services `migrate`, `web` and
the four workers (one per queue) are read from docker-compose.yml and run as they are, against
this machine's PostgreSQL and Redis instead of the `postgres` and `redis` containers.
"""

import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT = 8765
DATABASE = "kla_smoke"


def command(service: str) -> list[str]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    argv = shlex.split(services[service]["command"])
    argv[0] = str(BIN / argv[0]) if (BIN / argv[0]).exists() else sys.executable
    if service == "web":
        argv[argv.index("--bind") + 1] = f"127.0.0.1:{PORT}"
    return argv


def main() -> int:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    var = Path(tempfile.mkdtemp(prefix="kla-smoke-"))
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        REDIS_URL="redis://127.0.0.1:6379/6",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        KLA_VAR_DIR=str(var),
        SECURE_COOKIES="false",
        HEALTH_TOKEN=secrets.token_urlsafe(24),  # so the printed answer names each check
    )
    run = dict(cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    subprocess.run(command("migrate"), **run)
    subprocess.run([sys.executable, "manage.py", "load_wilayah", "36.73"], **run)

    log = open(var / "stack.log", "wb")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            command(name),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name in ("web", "worker-skor", "worker-laporan", "worker-impor", "worker-surel")
    ]
    try:
        body, status = None, None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                health = urllib.request.Request(
                    f"http://127.0.0.1:{PORT}/health/",
                    headers={"Authorization": f"Bearer {env['HEALTH_TOKEN']}"},
                )
                with urllib.request.urlopen(health, timeout=15) as response:  # noqa: S310
                    status, body = response.status, json.loads(response.read())
                    break
            except urllib.error.HTTPError as error:
                status, body = error.code, json.loads(error.read())
            except OSError:
                pass
            time.sleep(2)
        print(f"/health/ -> {status} {body}")
        if status != 200:
            print((var / "stack.log").read_text(errors="replace")[-4000:])
            return 1
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/akun/masuk/", timeout=15) as response:
            page = response.read().decode()
        stylesheet = page.split('href="/static/vendor/bootstrap/', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(
            f"http://127.0.0.1:{PORT}/static/vendor/bootstrap/{stylesheet}"
        ) as css:
            assert css.status == 200 and "bootstrap" in css.read(2000).decode().lower()
        print(f"login page and hashed static file served by gunicorn: {stylesheet}")
        return 0
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


if __name__ == "__main__":
    sys.exit(main())

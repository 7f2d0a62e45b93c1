#!/usr/bin/env python3
"""Starts real deployment software for the gallery's "deployments" part and announces it the tests' way.

    python3 launch.py nginx UPSTREAM_PORT   # nginx from nginx.conf.template in front of 127.0.0.1:UPSTREAM_PORT
    python3 launch.py gunicorn              # gunicorn's default sync worker (one) serving flask_app:app

Picks a free loopback port, starts the server as a child, waits until it accepts connections, prints
"listening on 127.0.0.1:<port>", and stops the child (TERM, then KILL) when stdin closes.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_accepting(port, child, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if child.poll() is not None:
            sys.exit(f"the server exited with status {child.returncode} before accepting connections")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    child.kill()
    sys.exit(f"the server did not accept connections on 127.0.0.1:{port} within {seconds} s")


def nginx(upstream):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        sys.exit("nginx not found: run scripts/bootstrap (Debian package nginx)")
    prefix = tempfile.mkdtemp(prefix="sse-nginx-")
    os.chmod(prefix, 0o755)
    port = free_port()
    with open(os.path.join(HERE, "nginx.conf.template"), encoding="utf-8") as f:
        conf = f.read().replace("@PREFIX@", prefix).replace("@PORT@", str(port)).replace("@UPSTREAM@", upstream)
    with open(os.path.join(prefix, "nginx.conf"), "w", encoding="utf-8") as f:
        f.write(conf)
    argv = [binary, "-p", prefix, "-e", os.path.join(prefix, "error.log"), "-c", os.path.join(prefix, "nginx.conf"),
            "-g", "daemon off;"]
    return port, subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=sys.stderr, start_new_session=True)


def gunicorn():
    binary = os.path.join(HERE, "..", "..", "..", "..", ".venv", "bin", "gunicorn")
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: run scripts/bootstrap (or scripts/python-peers) to install Flask and gunicorn")
    port = free_port()
    argv = [binary, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning", "flask_app:app"]
    return port, subprocess.Popen(argv, cwd=HERE, stdin=subprocess.DEVNULL, stdout=sys.stderr, start_new_session=True)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("nginx", "gunicorn"):
        sys.exit(__doc__)
    port, child = nginx(sys.argv[2]) if sys.argv[1] == "nginx" else gunicorn()
    try:
        wait_accepting(port, child)
        print(f"listening on 127.0.0.1:{port}", flush=True)
        while sys.stdin.buffer.read1(65536):
            pass
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()

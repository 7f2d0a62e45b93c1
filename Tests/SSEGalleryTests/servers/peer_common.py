"""Shared bits of the third-party peer apps: a loopback socket on port 0, and exit when stdin closes."""

import os
import socket
import sys
import threading


def listening_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def announce(sock):
    print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)


def exit_when_stdin_closes():
    def wait():
        while sys.stdin.buffer.read1(65536):
            pass
        os._exit(0)
    threading.Thread(target=wait, daemon=True).start()


def first_id(last_event_id):
    """Resumes after a numeric Last-Event-ID, as an app with an event log would."""
    return int(last_event_id) + 1 if last_event_id and last_event_id.isdigit() else 1

"""sse-starlette on uvicorn, a real third-party peer: /events sends three events and ends.
Prints "listening on 127.0.0.1:N" once it listens on 127.0.0.1 port 0. Run with .venv/bin/python."""
import json
import os
import signal
import socket
import sys
import threading

import uvicorn
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.routing import Route


# A child of a Swift test inherits the blocked signal mask of the thread that spawned it: unblock SIGTERM
# and SIGINT so the test can end this process.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

# Exit when the test that started us goes away (its end of our stdin closes), even if it crashed.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()


async def events(request):
    last = request.headers.get("last-event-id")

    async def generate():
        yield {"event": "greeting", "id": "1", "data": "hello", "retry": 500}
        yield {"id": "2", "data": "line one\nline two"}
        yield {"id": "3", "data": json.dumps({"last": last})}

    return EventSourceResponse(generate())


app = Starlette(routes=[Route("/events", events)])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])

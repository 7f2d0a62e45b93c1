"""aiohttp-sse on aiohttp, a real third-party peer: /events sends three events and ends.
Prints "listening on 127.0.0.1:N" once it listens on 127.0.0.1 port 0. Run with .venv/bin/python."""
import asyncio
import json
import os
import signal
import socket
import sys
import threading

from aiohttp import web
from aiohttp_sse import sse_response


# A child of a Swift test inherits the blocked signal mask of the thread that spawned it: unblock SIGTERM
# and SIGINT so the test can end this process.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

# Exit when the test that started us goes away (its end of our stdin closes), even if it crashed.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()


async def events(request):
    last = request.headers.get("Last-Event-ID")
    async with sse_response(request) as response:
        await response.send("hello", event="greeting", id="1", retry=500)
        await response.send("line one\nline two", id="2")
        await response.send(json.dumps({"last": last}), id="3")
    return response


async def main():
    app = web.Application()
    app.router.add_get("/events", events)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())

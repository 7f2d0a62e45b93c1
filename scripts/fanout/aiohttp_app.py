"""aiohttp-sse for scripts/fanout-peers: GET /events sends `data: <wall-clock µs>` every 100 ms per stream, for
ever. Prints `listening on 127.0.0.1:<port>` once listening (port 0: any free port)."""

import asyncio
import socket
import sys
import time

from aiohttp import web
from aiohttp_sse import sse_response


async def events(request):
    async with sse_response(request) as response:
        try:
            while response.is_connected():
                await asyncio.sleep(0.1)
                await response.send(str(int(time.time() * 1_000_000)))
        except ConnectionResetError:
            pass  # the client went away between two events
    return response


if __name__ == "__main__":
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    app = web.Application()
    app.router.add_get("/events", events)
    print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)
    web.run_app(app, sock=sock, print=None, backlog=2048)

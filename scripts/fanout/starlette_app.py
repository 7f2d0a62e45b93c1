"""sse-starlette on uvicorn for scripts/fanout-peers: GET /events sends `data: <wall-clock µs>` every 100 ms per
stream, for ever. Prints `listening on 127.0.0.1:<port>` once listening (port 0: any free port)."""

import asyncio
import socket
import sys
import time

import uvicorn
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.routing import Route


async def events(request):
    async def source():
        while True:
            await asyncio.sleep(0.1)
            yield {"data": str(int(time.time() * 1_000_000))}

    return EventSourceResponse(source())


app = Starlette(routes=[Route("/events", events)])

if __name__ == "__main__":
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", backlog=2048)
    uvicorn.Server(config).run(sockets=[sock])

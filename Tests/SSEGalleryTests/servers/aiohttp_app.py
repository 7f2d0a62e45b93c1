#!/usr/bin/env python3
"""aiohttp-sse (PyPI) on aiohttp: a real third-party SSE server the suite must pass.

    .venv/bin/python aiohttp_app.py     # prints "listening on 127.0.0.1:<n>"; exits when stdin closes

/events     endless: one event every 100 ms (id n, data "tick n"), resumes after Last-Event-ID,
            aiohttp-sse's comment pings every 250 ms (its default is 15 s; shortened so a short listen sees them)
/countdown  three events, then the response ends
aiohttp-sse frames with CRLF by default.
"""

import asyncio

from aiohttp import web
from aiohttp_sse import sse_response

from peer_common import announce, exit_when_stdin_closes, first_id, listening_socket


async def events(request):
    async with sse_response(request, ping_interval=0.25) as resp:
        n = first_id(request.headers.get("Last-Event-ID"))
        while resp.is_connected():
            await asyncio.sleep(0.1)
            await resp.send(f"tick {n}", id=str(n))
            n += 1
    return resp


async def countdown(request):
    async with sse_response(request, ping_interval=0.25) as resp:
        for n in (3, 2, 1):
            await asyncio.sleep(0.1)
            await resp.send(f"{n}", event="countdown", id=str(4 - n))
    return resp


async def main():
    sock = listening_socket()
    exit_when_stdin_closes()
    app = web.Application()
    app.router.add_get("/events", events)
    app.router.add_get("/countdown", countdown)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    announce(sock)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())

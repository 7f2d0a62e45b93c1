#!/usr/bin/env python3
"""sse-starlette (PyPI) on uvicorn: a real third-party SSE server the suite must pass.

    .venv/bin/python starlette_app.py     # prints "listening on 127.0.0.1:<n>"; exits when stdin closes

/events     endless: one event every 100 ms (id n, data "tick n"), resumes after Last-Event-ID,
            sse-starlette's comment pings every 250 ms (its default is 15 s; shortened so a short listen sees them)
/countdown  three events, then the response ends
sse-starlette frames with CRLF by default.
"""

import asyncio

import uvicorn
from sse_starlette.sse import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.routing import Route

from peer_common import announce, exit_when_stdin_closes, first_id, listening_socket


async def events(request):
    async def source():
        n = first_id(request.headers.get("last-event-id"))
        while True:
            await asyncio.sleep(0.1)
            yield ServerSentEvent(data=f"tick {n}", id=str(n))
            n += 1
    return EventSourceResponse(source(), ping=0.25)


async def countdown(request):
    async def source():
        for n in (3, 2, 1):
            await asyncio.sleep(0.1)
            yield ServerSentEvent(data=f"{n}", event="countdown", id=str(4 - n))
    return EventSourceResponse(source(), ping=0.25)


app = Starlette(routes=[Route("/events", events), Route("/countdown", countdown)])

if __name__ == "__main__":
    sock = listening_socket()
    exit_when_stdin_closes()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    announce(sock)
    asyncio.run(server.serve(sockets=[sock]))

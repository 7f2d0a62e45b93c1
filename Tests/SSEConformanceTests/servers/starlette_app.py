"""sse-starlette on uvicorn: a third-party SSE server the suite must pass. Run with uvicorn."""
import asyncio
import itertools

from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.routing import Route


async def events(request):
    async def generate():
        for i in itertools.count(1):
            yield {"id": str(i), "event": "tick" if i % 2 else "message", "data": f"tick {i}"}
            await asyncio.sleep(0.1)

    return EventSourceResponse(generate(), ping=1)


app = Starlette(routes=[Route("/events", events)])

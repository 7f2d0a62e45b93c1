#!/usr/bin/env python3
"""An OpenAI-style streaming chat endpoint on FastAPI (PyPI), as LLM APIs answer fetch-based clients.

    .venv/bin/python llm_app.py     # prints "listening on 127.0.0.1:<n>"; exits when stdin closes

POST /v1/chat/completions   JSON body {"model": ..., "messages": [...], "stream": true}: after a 1.2 s pause (the
                            model thinking) one `data: {chunk}` event per token, 50 ms apart, then `data: [DONE]`
                            and the end of the response. GET is 405 (FastAPI answers it, with Allow: POST).
POST /unterminated/v1/chat/completions   the same, but `data: [DONE]` has no blank line after it: the last
                            event is never dispatched by a conforming parser.
POST /burst/v1/chat/completions   the same answer, every chunk written at once after the pause (what a buffering
                            proxy makes of a stream).
POST /v1/progress           an endless fetch-style stream (a long job's progress): `id: n` and `data: {"n": n,
                            "body": <bytes of the request body>}` every 100 ms, resuming after Last-Event-ID.
"""

import asyncio
import json
import time

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from peer_common import announce, exit_when_stdin_closes, listening_socket

THINKING = 1.2
TOKEN_GAP = 0.05
ANSWER = ["Hello", " from", " a", " streaming", " model", "."]


class Message(BaseModel):
    role: str
    content: str


class ChatRequest(BaseModel):
    model: str
    messages: list[Message]
    stream: bool = False


app = FastAPI()


def chunk(request, created, delta, finish=None):
    body = {
        "id": "chatcmpl-peer",
        "object": "chat.completion.chunk",
        "created": created,
        "model": request.model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return "data: " + json.dumps(body, separators=(",", ":")) + "\n\n"


def events(request):
    created = int(time.time())
    yield chunk(request, created, {"role": "assistant", "content": ""})
    for token in ANSWER:
        yield chunk(request, created, {"content": token})
    yield chunk(request, created, {}, finish="stop")


def respond(request, done, burst=False):
    async def body():
        await asyncio.sleep(THINKING)
        if burst:
            yield "".join(events(request)) + done
            return
        for event in events(request):
            yield event
            await asyncio.sleep(TOKEN_GAP)
        yield done
    return StreamingResponse(body(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@app.post("/v1/chat/completions")
async def completions(request: ChatRequest):
    return respond(request, "data: [DONE]\n\n")


@app.post("/unterminated/v1/chat/completions")
async def unterminated(request: ChatRequest):
    return respond(request, "data: [DONE]\n")


@app.post("/burst/v1/chat/completions")
async def burst(request: ChatRequest):
    return respond(request, "data: [DONE]\n\n", burst=True)


@app.post("/v1/progress")
async def progress(request: Request):
    body = await request.body()
    last = request.headers.get("last-event-id")
    first = int(last) + 1 if last and last.isdigit() else 1

    async def events():
        n = first
        while True:
            await asyncio.sleep(0.1)
            yield f"id: {n}\ndata: " + json.dumps({"n": n, "body": len(body)}) + "\n\n"
            n += 1
    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


if __name__ == "__main__":
    sock = listening_socket()
    exit_when_stdin_closes()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    announce(sock)
    asyncio.run(server.serve(sockets=[sock]))

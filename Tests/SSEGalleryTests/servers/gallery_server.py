#!/usr/bin/env python3
"""The gallery of misbehaving (and a few unusual but conformant) SSE servers.

Python 3 standard library only: raw asyncio sockets, so a route can misbehave at the byte level (late blank
lines, truncated chunked bodies, gzip, invalid UTF-8...), where a framework would refuse to.

    python3 gallery_server.py --port 0     # prints "listening on 127.0.0.1:<n>" once listening; exits when stdin closes

Routes (each breaks exactly ONE rule; see GALLERY.md for what each proves):
    /gallery/<entry>?run=R     passive entries: a Nest-like stream (headers, a single "\\n", "id: n" counting
                               from 1, one event every 100 ms, endless) with one defect. `run` scopes the
                               per-run state a few entries need (which request of the run this is).
    /ok/<variant>?run=R        streams that keep the rules in unusual ways (lone CR, CRLF, BOM, dribbled bytes...)
    /scn/<defect>/<path>       the conformance scenarios of fixtures/scenarios/manifest.json, written in Nest
                               11.1's wire format, with one defect; /scn/good/ keeps every rule.
    /scn/<defect>/stats        the scenario stats endpoint.
    /scn/nest-11.1/<path>      the scenarios as NestJS 11.1 really writes them (RealNest111Encoder, from DESIGN.md's
                               measured rules, not from the suite's encoder): falsy data loses its data line, a
                               number or boolean as data ends the stream, id 0 takes the counter, retry 0 is dropped.
"""

import argparse
import asyncio
import json
import os
import re
import sys
import zlib
from urllib.parse import parse_qs, urlsplit

NEST_HEADERS = [
    ("Content-Type", "text/event-stream"),
    ("Connection", "keep-alive"),
    ("Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0, no-transform"),
    ("Pragma", "no-cache"),
    ("Expire", "0"),
    ("X-Accel-Buffering", "no"),
]

REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error",
           503: "Service Unavailable"}


# ---------------------------------------------------------------------------------------------------------------
# HTTP plumbing


class Request:
    def __init__(self, method, target, headers):
        self.method = method
        parts = urlsplit(target)
        self.path = parts.path
        self.query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = headers  # lower-case names

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)


class Connection:
    """One client connection. `gone` is set when the client closes (EOF seen by a watcher) or a write fails."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.gone = asyncio.Event()
        self.watcher = None

    def watch(self):
        async def run():
            try:
                while True:
                    data = await self.reader.read(4096)
                    if not data:
                        break
            except (ConnectionError, OSError):
                pass
            self.gone.set()
        self.watcher = asyncio.ensure_future(run())

    async def pause(self, seconds):
        """Sleeps; returns True (early) if the client went away."""
        if self.gone.is_set():
            return True
        try:
            await asyncio.wait_for(self.gone.wait(), timeout=max(0.0, seconds))
            return True
        except asyncio.TimeoutError:
            return False

    async def write(self, data):
        if self.gone.is_set():
            return False
        try:
            self.writer.write(data)
            await self.writer.drain()
            return True
        except (ConnectionError, OSError):
            self.gone.set()
            return False

    def close(self, reset=False):
        try:
            if reset:
                sock = self.writer.get_extra_info("socket")
                if sock is not None:
                    import socket
                    import struct
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.writer.close()
        except Exception:
            pass
        if self.watcher is not None:
            self.watcher.cancel()


class Response:
    """A response on a connection: head, then a chunked (optionally gzip'd) or fixed-length body."""

    def __init__(self, conn, request):
        self.conn = conn
        self.request = request
        self.chunked = True
        self.gzip = None
        self.keep_alive = False

    async def head(self, status, headers, chunked=True, gzip=False, length=None):
        self.chunked = chunked and length is None
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        for name, value in headers:
            lines.append(f"{name}: {value}")
        if gzip:
            lines.append("Content-Encoding: gzip")
            self.gzip = zlib.compressobj(6, zlib.DEFLATED, 31)
        if self.chunked and self.conn.watcher is None:
            self.conn.watch()  # a stream: notice when the client leaves
        if length is not None:
            lines.append(f"Content-Length: {length}")
        elif self.chunked:
            lines.append("Transfer-Encoding: chunked")
        return await self.conn.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.gzip is not None:
            data = self.gzip.compress(data) + self.gzip.flush(zlib.Z_SYNC_FLUSH)
        if not data:
            return not self.conn.gone.is_set()
        if self.chunked:
            data = b"%x\r\n" % len(data) + data + b"\r\n"
        return await self.conn.write(data)

    async def end(self):
        tail = b""
        if self.gzip is not None:
            tail = self.gzip.flush(zlib.Z_FINISH)
        out = b""
        if self.chunked:
            if tail:
                out += b"%x\r\n" % len(tail) + tail + b"\r\n"
            out += b"0\r\n\r\n"
        else:
            out = tail
        await self.conn.write(out)

    async def simple(self, status, body=b"", content_type="text/plain", extra=()):
        """A small complete response (keeps the connection for the next request)."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = [("Content-Type", content_type), ("Connection", "keep-alive"), *extra]
        if status == 204:
            await self.head(204, [h for h in headers if h[0] != "Content-Type"], chunked=False, length=None)
            self.chunked = False
        else:
            await self.head(status, headers, length=len(body))
            if self.request.method != "HEAD":
                await self.conn.write(body)
        self.keep_alive = True


async def read_request(reader):
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, OSError):
        return None
    lines = raw.decode("latin-1").split("\r\n")
    try:
        method, target, _ = lines[0].split(" ", 2)
    except ValueError:
        return None
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return Request(method, target, headers)


# ---------------------------------------------------------------------------------------------------------------
# Per-run state (a few entries behave differently on a run's first or second request)

RUNS = {}


def run_state(request, route):
    key = (route, request.query.get("run", ""))
    state = RUNS.setdefault(key, {"requests": 0, "open": 0})
    state["requests"] += 1
    return state


# ---------------------------------------------------------------------------------------------------------------
# Passive entries: a Nest-like stream with one defect


def cors(request):
    origin = request.header("origin")
    return [("Access-Control-Allow-Origin", origin)] if origin else []


def tick(n):
    return f"id: {n}\ndata: tick {n}\n\n"


async def stream(resp, request, *, headers=None, preamble="\n", event=tick, interval=0.1, count=None, start=1,
                 gzip=False, between=None, finish=None):
    """Writes `event(n)` every `interval` seconds, n counting from `start`, until the client leaves or `count`
    events were written; `finish` (a coroutine) then ends the response (default: the chunked terminator)."""
    headers = list(NEST_HEADERS if headers is None else headers) + cors(request)
    if not await resp.head(200, headers, gzip=gzip):
        return
    if request.method == "HEAD":
        await resp.end()
        return
    if preamble:
        await resp.send(preamble)
    n = start
    written = 0
    while count is None or written < count:
        if await resp.conn.pause(interval):
            return
        if between is not None and written > 0:
            await resp.send(between(n))
        if not await resp.send(event(n)):
            return
        n += 1
        written += 1
    if finish is not None:
        await finish(resp)
    else:
        await resp.end()


async def g_good(resp, request):
    await stream(resp, request)


async def g_status_500(resp, request):
    # The SSE headers are set, then the handler throws before its first write: 500 with the stream's headers.
    # Only the run's first request, so the reconnection and concurrent clients are still judged on a stream.
    if run_state(request, "status-500")["requests"] == 1:
        await resp.head(500, NEST_HEADERS)
        await resp.send("internal error\n")
        await resp.end()
        return
    await stream(resp, request)


async def g_content_type_html(resp, request):
    # Flask's `Response(generator())` without a mimetype: text/html. First request of the run only (see above).
    if run_state(request, "content-type-html")["requests"] == 1:
        headers = [("Content-Type", "text/html; charset=utf-8") if h[0] == "Content-Type" else h for h in NEST_HEADERS]
        await stream(resp, request, headers=headers)
        return
    await stream(resp, request)


async def g_no_cache_control(resp, request):
    await stream(resp, request, headers=[h for h in NEST_HEADERS if h[0] != "Cache-Control"])


async def g_gzip(resp, request):
    # Compression middleware that does flush per event (so events still flow): only the header is wrong.
    gz = "gzip" in request.header("accept-encoding")
    await stream(resp, request, gzip=gz)


async def g_content_length(resp, request):
    # Express `res.send(text)`: the whole "stream" rendered first, framed by Content-Length.
    body = ("\n" + "".join(tick(n) for n in range(1, 4))).encode()
    await resp.head(200, NEST_HEADERS + cors(request), length=len(body))
    if request.method != "HEAD":
        await resp.conn.write(body)
    resp.keep_alive = True


async def g_cors_wrong_origin(resp, request):
    headers = NEST_HEADERS + [("Access-Control-Allow-Origin", "https://admin.example")]
    await resp.head(200, headers)
    await resp.send("\n")
    n = 1
    while not await resp.conn.pause(0.1):
        if not await resp.send(tick(n)):
            return
        n += 1


async def g_latin1(resp, request):
    # Text encoded as Latin-1 instead of UTF-8: "café" as 63 61 66 E9.
    await stream(resp, request, event=lambda n: f"id: {n}\ndata: caf\u00e9 {n}\n\n".encode("latin-1"))


async def g_bom_per_event(resp, request):
    # A writer that emits a byte order mark at the start of every write, not just the first.
    await stream(resp, request, event=lambda n: ("\ufeff" if n > 1 else "") + tick(n))


async def g_mixed_line_endings(resp, request):
    # Field lines from one helper (CRLF), the blank line from another (LF).
    await stream(resp, request, event=lambda n: f"id: {n}\r\ndata: tick {n}\r\n\n")


async def g_unknown_field(resp, request):
    # `type:` (MessageEvent's property name) written where the wire wants `event:`.
    await stream(resp, request, event=lambda n: f"type: update\nid: {n}\ndata: tick {n}\n\n")


async def g_late_blank_line(resp, request):
    # Each event's blank line is written 800 ms after its lines (a flush that waits for the next event).
    headers = NEST_HEADERS + cors(request)
    await resp.head(200, headers)
    await resp.send("\n")
    n = 1
    while True:
        if await resp.conn.pause(0.1):
            return
        if not await resp.send(f"id: {n}\ndata: tick {n}\n"):
            return
        if await resp.conn.pause(0.8):
            return
        if not await resp.send("\n"):
            return
        n += 1


async def g_unterminated_at_close(resp, request):
    # A client that resumes (Last-Event-ID) is sent a farewell without its blank line, then the response ends.
    # (First requests get the ordinary endless stream, so the concurrent clients, which would also report the
    # unterminated tail, see well-formed streams; the reconnection is where the defect shows.)
    if request.header("last-event-id"):
        await resp.head(200, NEST_HEADERS + cors(request))
        await resp.send("\ndata: goodbye, you are up to date\n")
        await resp.end()
        return
    await stream(resp, request)


async def g_event_without_data(resp, request):
    # `event: ping` blocks with no data as a heartbeat: a block that sets a type but dispatches nothing.
    await stream(resp, request, between=lambda n: "event: ping\n\n")


async def g_id_with_nul(resp, request):
    # Ids taken from a C buffer with its terminating NUL.
    await stream(resp, request, event=lambda n: f"id: {n}\x00\ndata: tick {n}\n\n")


async def g_retry_with_unit(resp, request):
    await stream(resp, request, event=lambda n: (f"retry: 1s\n" if n == 1 else "") + tick(n))


async def g_reconnection_refused(resp, request):
    # The first request after the run's first stream ended (the reconnection) is refused, as a session store
    # that dropped the client's session when its first stream ended would; clients already open are not
    # affected. No ids, so the reconnection carries no Last-Event-ID.
    state = run_state(request, "reconnection-refused")
    if state.get("first_ended") and not state.get("refused"):
        state["refused"] = True
        await resp.simple(503, "session expired\n")
        return
    first = state["requests"] == 1
    try:
        await stream(resp, request, event=lambda n: f"data: tick {n}\n\n")
    finally:
        if first:
            state["first_ended"] = True


async def g_rejects_last_event_id(resp, request):
    # A server that cannot parse Last-Event-ID (or validates it against the wrong format) and answers 400.
    if request.header("last-event-id"):
        await resp.simple(400, "bad Last-Event-ID\n")
        return
    await stream(resp, request)


async def g_truncated_end(resp, request):
    # On a resumed request the server destroys the socket instead of ending the response: no chunked terminator.
    if request.header("last-event-id"):
        await resp.head(200, NEST_HEADERS + cors(request))
        await resp.send("\n")
        await resp.conn.pause(0.05)
        resp.conn.close()
        return
    await stream(resp, request)


async def g_buffered(resp, request):
    # A proxy without `X-Accel-Buffering: no` honoured: events held in a buffer flushed every 1.5 s.
    headers = [h for h in NEST_HEADERS if h[0] != "X-Accel-Buffering"] + cors(request)
    await resp.head(200, headers)
    pending = "\n"
    n = 1
    loop = asyncio.get_running_loop()
    flush_at = loop.time() + 1.5
    while True:
        if await resp.conn.pause(0.1):
            return
        pending += tick(n)
        n += 1
        if loop.time() >= flush_at:
            if not await resp.send(pending):
                return
            pending = ""
            flush_at = loop.time() + 1.5


async def g_one_client_at_a_time(resp, request):
    # A single-subscriber source: while one stream is open, other clients are refused.
    state = run_state(request, "one-client-at-a-time")
    if state["open"] > 0:
        await resp.simple(503, "busy: one subscriber at a time\n")
        return
    state["open"] += 1
    try:
        await stream(resp, request)
    finally:
        state["open"] -= 1


async def g_nest_plain_headers(resp, request):
    # A hand-written Express SSE route: the three usual headers, not Nest's set.
    headers = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("Connection", "keep-alive")]
    await stream(resp, request, headers=headers)


async def g_nest_no_initial_newline(resp, request):
    await stream(resp, request, preamble="")


async def g_nest_global_counter(resp, request):
    # A hand-written server with one module-level counter shared by every connection (`let id = 0` at the top of
    # the file): the first connection counts 1, 2, 3..., every later one carries on where the others got to.
    # (Scoped per run here, so the run's first connection starts at 1.)
    state = run_state(request, "nest-global-counter")
    state.setdefault("next", 1)

    def event(_):
        n = state["next"]
        state["next"] += 1
        return tick(n)
    await stream(resp, request, event=event)


async def g_nest_data_before_id(resp, request):
    await stream(resp, request, event=lambda n: f"data: tick {n}\nid: {n}\n\n")


GALLERY = {
    "good": g_good,
    "status-500": g_status_500,
    "content-type-html": g_content_type_html,
    "no-cache-control": g_no_cache_control,
    "gzip": g_gzip,
    "content-length": g_content_length,
    "cors-wrong-origin": g_cors_wrong_origin,
    "latin1": g_latin1,
    "bom-per-event": g_bom_per_event,
    "mixed-line-endings": g_mixed_line_endings,
    "unknown-field": g_unknown_field,
    "late-blank-line": g_late_blank_line,
    "unterminated-at-close": g_unterminated_at_close,
    "event-without-data": g_event_without_data,
    "id-with-nul": g_id_with_nul,
    "retry-with-unit": g_retry_with_unit,
    "reconnection-refused": g_reconnection_refused,
    "rejects-last-event-id": g_rejects_last_event_id,
    "truncated-end": g_truncated_end,
    "buffered": g_buffered,
    "one-client-at-a-time": g_one_client_at_a_time,
    "nest-plain-headers": g_nest_plain_headers,
    "nest-no-initial-newline": g_nest_no_initial_newline,
    "nest-global-counter": g_nest_global_counter,
    "nest-data-before-id": g_nest_data_before_id,
}


# ---------------------------------------------------------------------------------------------------------------
# Conformant streams in unusual shapes (no Nest preamble: generic SSE servers)

PLAIN_HEADERS = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")]


async def ok_dribble(resp, request):
    # Every byte its own chunk (and TCP segment), 2 ms apart.
    await resp.head(200, PLAIN_HEADERS)
    n = 1
    while not await resp.conn.pause(0.1):
        for byte in tick(n).encode():
            if not await resp.send(bytes([byte])):
                return
            if await resp.conn.pause(0.002):
                return
        n += 1


def long_event(n):
    lines = "".join(f"data: line {i:03d} of event {n} " + "x" * 180 + "\n" for i in range(60))
    return f"id: {n}\n" + lines + "\n"


OK = {
    "lone-cr": dict(event=lambda n: f"id: {n}\rdata: tick {n}\r\r"),
    "crlf": dict(event=lambda n: f"id: {n}\r\ndata: tick {n}\r\n\r\n"),
    "bom": dict(preamble="\ufeff"),
    "heartbeat": dict(between=lambda n: ": keep-alive\n\n", interval=0.1),
    "no-space": dict(event=lambda n: f"id:{n}\ndata:tick {n}\n\n"),
    "long-multiline": dict(event=long_event),
    "many-clients": dict(),
}


async def ok_close_delimited(resp, request):
    # HTTP/1.1 without chunking or a length: the body ends when the server closes, after a complete event.
    await resp.head(200, PLAIN_HEADERS + [("Connection", "close")], chunked=False)
    for n in range(1, 4):
        if await resp.conn.pause(0.1) or not await resp.send(tick(n)):
            return
    resp.conn.close()


async def ok_route(resp, request, name):
    if name == "dribble":
        await ok_dribble(resp, request)
        return
    if name == "close-delimited":
        await ok_close_delimited(resp, request)
        return
    options = dict(OK[name])
    options.setdefault("preamble", "")
    if name == "heartbeat":
        # comments between events, and more of them than events
        options["event"] = lambda n: f": tick\n\nid: {n}\ndata: tick {n}\n\n"
    await stream(resp, request, headers=PLAIN_HEADERS, **options)


# ---------------------------------------------------------------------------------------------------------------
# The conformance scenarios (fixtures/scenarios/manifest.json) in Nest 11.1's wire format, with one defect each

SCENARIO_DEFECTS = {
    "good",
    "no-204-on-stop",               # close/no-content-stops: the stop scenario's reconnection is served again
    "replays-after-last-event-id",  # reconnect/resumes-after-id: Last-Event-ID ignored, the resume scenario restarts
    "keeps-producing-after-abort",  # close/client-abort-releases: the endless producer is not stopped on disconnect
    "type-ignored",                 # dispatch/event-type: `event:` never written
    "type-undefined",               # dispatch/message-fallback: `event: undefined` for events without a type
    "drops-multiline",              # dispatch/multiline-data: only the first line of multi-line data
    "zero-id-replaced",             # dispatch/last-event-id: numeric id 0 replaced by the counter (Nest 11.0)
    "extra-done-event",             # dispatch/expected-sequence: a `data: [DONE]` sentinel after the events
    "retry-seconds",                # reconnect/retry-honored: numeric retry written in seconds
    "injection-retry",              # framing/no-field-injection: CR/LF in retry written raw
    "injection-nest-11.0.5",        # framing/no-field-injection: CR/LF in type, id and retry written raw
    "buffered-slow",                # delivery/unbuffered: a finite source collected, then written at once
    "object-data-split-lines",      # nest/object-data-json: objects pretty-printed over several data lines
    "comment-heartbeats",           # nest/wire-identical: a `: keep-alive` comment after each event (not Nest's bytes)
    "error-event-retry",            # nest/error-event: the error event carries an extra retry line
    "global-counter",               # nest/auto-ids: one id counter shared by every connection
    "nest-11.1",                    # not one defect: NestJS 11.1 as it really is (RealNest111Encoder)
}

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def strip_breaks(value):
    return value.replace("\r", "").replace("\n", "")


class Encoder:
    """Nest 11.1's SseStream, per connection, with the defect's twist."""

    shared_counter = 0

    def __init__(self, defect):
        self.defect = defect
        self.counter = 0

    def clean(self, value, field):
        if self.defect == "injection-nest-11.0.5":
            return value
        if self.defect == "injection-retry" and field == "retry":
            return value
        return strip_breaks(value)

    def written_id(self, event):
        value = event.get("id")
        if isinstance(value, bool):
            value = None
        if isinstance(value, int) and not (value == 0 and self.defect == "zero-id-replaced"):
            return str(value)
        if isinstance(value, str) and value:
            return self.clean(value, "id")
        if self.defect == "global-counter":
            Encoder.shared_counter += 1
            return str(Encoder.shared_counter)
        self.counter += 1
        return str(self.counter)

    def encode(self, event, error=False):
        sep = ": "
        out = ""
        kind = event.get("type")
        if self.defect == "type-ignored":
            kind = None
        if kind:
            out += f"event{sep}{self.clean(kind, 'event')}\n"
        elif "type" not in event and self.defect == "type-undefined":
            out += f"event{sep}undefined\n"
        out += f"id{sep}{self.written_id(event)}\n"
        retry = event.get("retry")
        if isinstance(retry, int) and not isinstance(retry, bool):
            if self.defect == "retry-seconds":
                retry = round(retry / 1000)
            out += f"retry{sep}{retry}\n"
        elif isinstance(retry, str) and retry:
            out += f"retry{sep}{self.clean(retry, 'retry')}\n"
        if error and self.defect == "error-event-retry":
            out += f"retry{sep}3000\n"
        if "data" in event:
            data = event["data"]
            if isinstance(data, str):
                lines = LINE_BREAK.split(data)
                if self.defect == "drops-multiline":
                    lines = lines[:1]
                for line in lines:
                    out += f"data{sep}{line}\n"
            elif isinstance(data, (dict, list)) and self.defect == "object-data-split-lines":
                for line in json.dumps(data, ensure_ascii=False, indent=2).split("\n"):
                    out += f"data{sep}{line}\n"
            else:
                out += f"data{sep}{json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n"
        out += "\n"
        if self.defect == "comment-heartbeats":
            out += ": keep-alive\n\n"
        return out


class RealNest111Encoder:
    """What NestJS 11.1 (express) writes, per connection, written from DESIGN.md's "NestJS wire format" (measured
    rules), independently of the suite's NestModel. encode() returns None where Nest throws: the stream ends."""

    def __init__(self):
        self.counter = 0

    @staticmethod
    def truthy(value):
        # JavaScript truthiness of a JSON value: "", 0, false, null and undefined are falsy.
        if isinstance(value, (dict, list)):
            return True
        return value not in ("", 0, False, None)

    def encode(self, event, error=False):
        data = event.get("data")
        if (isinstance(data, bool) and data) or (isinstance(data, (int, float)) and not isinstance(data, bool) and data != 0):
            return None  # a truthy number or boolean: Nest throws inside its stream, the response just ends
        lines = []
        kind = event.get("type")
        if self.truthy(kind):
            lines.append("event: " + strip_breaks(str(kind)))
        ident = event.get("id")
        if self.truthy(ident):
            lines.append("id: " + strip_breaks(str(ident)))
        else:
            self.counter += 1
            lines.append(f"id: {self.counter}")
        retry = event.get("retry")
        if self.truthy(retry):
            lines.append("retry: " + strip_breaks(str(retry)))
        if self.truthy(data):
            if isinstance(data, str):
                lines += ["data: " + line for line in LINE_BREAK.split(data)]
            else:
                lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        return "\n".join(lines) + "\n\n"


class Stats:
    def __init__(self):
        self.by_token = {}

    def entry(self, token):
        return self.by_token.setdefault(token, {"openStreams": 0, "producersStarted": 0, "producersStopped": 0})

    def document(self, token):
        if token is None:
            total = {"openStreams": 0, "producersStarted": 0, "producersStopped": 0}
            for value in self.by_token.values():
                for key in total:
                    total[key] += value[key]
            doc = dict(total)
        else:
            doc = {"token": token, **self.entry(token)}
        doc["producersRunning"] = doc["producersStarted"] - doc["producersStopped"]
        return json.dumps(doc)


STATS = Stats()
MANIFEST = {}


def written_ids(scenario):
    encoder = Encoder("good")
    return [encoder.written_id(event) for event in scenario["events"]]


async def scenario_route(resp, request, defect, rest):
    if rest == MANIFEST["stats"]["path"]:
        await resp.simple(200, STATS.document(request.query.get(MANIFEST["parameters"]["token"])), "application/json")
        return
    scenario = next((s for s in MANIFEST["scenarios"] if s["path"] == rest), None)
    if scenario is None:
        await resp.simple(404, "no such scenario\n")
        return
    token = request.query.get(MANIFEST["parameters"]["token"], "")
    interval_param = request.query.get(MANIFEST["parameters"]["interval"])
    interval_ms = int(interval_param) if interval_param not in (None, "") else scenario["intervalMs"]
    end = scenario["end"]
    if end["kind"] == "never":
        interval_ms = max(1, interval_ms)

    mode = scenario["onReconnect"]
    if defect == "no-204-on-stop" and mode == "noContent":
        mode = "restart"
    if defect == "replays-after-last-event-id" and mode == "resume":
        mode = "restart"
    last_id = request.header("last-event-id")
    events = scenario["events"]
    start = 0
    if last_id:
        if mode == "noContent":
            await resp.simple(204)
            return
        if mode == "resume":
            ids = written_ids(scenario)
            if last_id in ids:
                index = ids.index(last_id)
                if index == len(events) - 1:
                    await resp.simple(204)
                    return
                start = index + 1

    if request.method == "HEAD":
        await resp.head(200, NEST_HEADERS)
        await resp.end()
        return

    stats = STATS.entry(token)
    stats["openStreams"] += 1
    stats["producersStarted"] += 1
    released_later = False
    try:
        if not await resp.head(200, NEST_HEADERS + cors(request)):
            return
        buffered = defect == "buffered-slow" and end["kind"] != "never"
        pending = ["\n"]

        async def emit(text):
            if buffered:
                pending.append(text)
                return not resp.conn.gone.is_set()
            return await resp.send(text)

        if not buffered:
            await resp.send(pending.pop())
        encoder = RealNest111Encoder() if defect == "nest-11.1" else Encoder(defect)
        per = scenario.get("perConnection")
        written = 0
        index = start
        text = ""
        while True:
            if end["kind"] == "never":
                event = events[index % len(events)]
            else:
                if index >= len(events) or (per is not None and written >= per):
                    break
                event = events[index]
            if interval_ms > 0 and await resp.conn.pause(interval_ms / 1000):
                if end["kind"] == "never" and defect == "keeps-producing-after-abort":
                    released_later = True
                return
            text = encoder.encode(event)
            if text is None:
                break  # Nest threw on this event: the response ends here, without an error event
            if not await emit(text):
                return
            written += 1
            index += 1
        if end["kind"] == "error" and text is not None:
            await emit(encoder.encode({"type": "error", "data": end["message"]}, error=True))
        elif defect == "extra-done-event" and not last_id:
            await emit(encoder.encode({"data": "[DONE]"}))
        if buffered:
            await resp.send("".join(pending))
        await resp.end()
    finally:
        stats["openStreams"] -= 1
        if released_later:
            # The producer's timer is never cleared: it keeps running for a client that left.
            async def stop_much_later():
                await asyncio.sleep(10)
                stats["producersStopped"] += 1
            asyncio.ensure_future(stop_much_later())
        else:
            stats["producersStopped"] += 1


# ---------------------------------------------------------------------------------------------------------------
# Dispatch


async def handle(request, conn):
    resp = Response(conn, request)
    parts = [p for p in request.path.split("/") if p]
    try:
        if len(parts) == 2 and parts[0] == "gallery" and parts[1] in GALLERY:
            await GALLERY[parts[1]](resp, request)
        elif len(parts) == 2 and parts[0] == "ok" and (parts[1] in OK or parts[1] in ("dribble", "close-delimited")):
            await ok_route(resp, request, parts[1])
        elif len(parts) >= 3 and parts[0] == "scn" and parts[1] in SCENARIO_DEFECTS:
            await scenario_route(resp, request, parts[1], "/".join(parts[2:]))
        else:
            await resp.simple(404, "not found\n")
    except (ConnectionError, OSError):
        pass
    return resp.keep_alive


async def client(reader, writer):
    conn = None
    try:
        while True:
            request = await read_request(reader)
            if request is None:
                break
            conn = Connection(reader, writer)
            keep = await handle(request, conn)
            if conn.watcher is not None:
                conn.watcher.cancel()
                try:
                    await conn.watcher
                except (asyncio.CancelledError, Exception):
                    pass
                conn.watcher = None
            if not keep or conn.gone.is_set():
                break
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--manifest", default=os.path.join(here, "..", "..", "..", "fixtures", "scenarios", "manifest.json"))
    args = parser.parse_args()
    with open(args.manifest, encoding="utf-8") as f:
        MANIFEST.update(json.load(f))
    server = await asyncio.start_server(client, args.host, args.port)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)

    # Exit when the parent closes our stdin (the test process ended, however it ended).
    loop = asyncio.get_running_loop()
    def wait_for_stdin_eof():
        while sys.stdin.buffer.read1(65536):
            pass
    stdin_closed = loop.run_in_executor(None, wait_for_stdin_eof)
    async with server:
        await asyncio.wait([asyncio.ensure_future(server.serve_forever()), stdin_closed], return_when=asyncio.FIRST_COMPLETED)
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())

#!/usr/bin/env python3
"""Scenario HTTP server for the SSEClient tests: stdlib asyncio on raw sockets, so each scenario controls the
exact bytes, the framing and how the connection ends.

Binds 127.0.0.1 port 0 and announces it on stdout with the line "listening on 127.0.0.1:N", then prints one
JSON line per fact: {"event": "request", ...} for every request and {"event": "disconnect", ...} when a held stream sees the
client go away. Routes: see `route`.
"""
import asyncio
import gzip
import json
import os
import resource
import signal
import socket
import ssl
import struct
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit


# A child of a Swift test inherits the blocked signal mask of the thread that spawned it: unblock SIGTERM
# and SIGINT so the test can end this process.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

# Exit when the test that started us goes away (its end of our stdin closes), even if it crashed.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()

seen = {}


def emit(**fields):
    fields["t"] = time.monotonic()
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def head(status, reason, headers):
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers] + ["", ""]
    return "\r\n".join(lines).encode()


def chunk(data):
    return b"%x\r\n%s\r\n" % (len(data), data)


SSE = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("Transfer-Encoding", "chunked"),
       ("Connection", "close")]


async def send_stream(writer, body, status=200, reason="OK", headers=SSE):
    writer.write(head(status, reason, headers))
    if body:
        writer.write(chunk(body))
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def reset(writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def handle(reader, writer):
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        writer.close()
        return
    lines = raw.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    url = urlsplit(target)
    path, query = url.path, {k: v[0] for k, v in parse_qs(url.query).items()}
    seen[path] = seen.get(path, 0) + 1
    count = seen[path]
    # A request body (fetch-style requests) is read whole and reported.
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    emit(event="request", path=path, n=count, headers=headers, method=method, body=body.decode("latin-1"))
    try:
        await route(path, query, headers, count, reader, writer)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        if not writer.transport.is_closing():
            writer.close()


async def route(path, query, headers, count, reader, writer):
    if path == "/retry":
        # First connection: a retry, an id and one event, then a clean end. Reconnections: one more event.
        if "last-event-id" not in headers:
            await send_stream(writer, b"retry: %d\nid: 7\ndata: one\n\n" % int(query.get("ms", "300")))
        else:
            await send_stream(writer, b"data: two\n\n")
    elif path.startswith("/status/"):
        status = int(path.split("/")[2])
        body = b"" if status == 204 else b"data: never\n\n"
        hs = [("Content-Type", "text/event-stream"), ("Connection", "close")]
        if status != 204:
            hs.append(("Content-Length", str(len(body))))
        writer.write(head(status, "Status", hs) + body)
        await writer.drain()
    elif path == "/type":
        hs = [("Content-Type", query.get("value", "text/plain")), ("Transfer-Encoding", "chunked"),
              ("Connection", "close")]
        await send_stream(writer, b"data: typed\n\n", headers=hs)
    elif path == "/gzip":
        body = gzip.compress(b"id: z1\ndata: zipped\n\n")
        hs = [("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip"),
              ("Content-Length", str(len(body))), ("Connection", "close")]
        writer.write(head(200, "OK", hs) + body)
        await writer.drain()
    elif path == "/echo":
        # Fetch-style: one event with an id naming the connection, then a clean end (the client reconnects).
        await send_stream(writer, b"id: e%d\ndata: echo %d\n\n" % (count, count))
    elif path.startswith("/redirect/"):
        status = int(path.split("/")[2])
        hs = [("Location", query.get("to", "/few?n=1")), ("Content-Length", "0"), ("Connection", "close")]
        writer.write(head(status, "Redirect", hs))
        await writer.drain()
    elif path == "/reset-first":
        # The first connection is reset before any response; later ones get one event.
        if count == 1:
            reset(writer)
        else:
            await send_stream(writer, b"data: after-reset\n\n")
    elif path == "/close-first":
        # The first connection is closed before any response; later ones get one event.
        if count == 1:
            writer.close()
        else:
            await send_stream(writer, b"data: after-close\n\n")
    elif path == "/reset-mid":
        # The first stream opens, sends one event, then is reset; later ones get one more event.
        if count == 1:
            writer.write(head(200, "OK", SSE) + chunk(b"id: m1\ndata: before-reset\n\n"))
            await writer.drain()
            await asyncio.sleep(0.05)
            reset(writer)
        else:
            await send_stream(writer, b"data: after-reset\n\n")
    elif path == "/split-crlf":
        # CRLF line ends split across writes 100 ms apart, so the client gets a chunk ending in CR.
        writer.write(head(200, "OK", SSE))
        for piece in [b"data: a\r", b"\n\r\ndata: b\r", b"\n\r\n"]:
            writer.write(chunk(piece))
            await writer.drain()
            await asyncio.sleep(0.1)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
    elif path == "/hold":
        # Sends an event every 50 ms until the client goes away, and says when it noticed.
        writer.write(head(200, "OK", SSE))
        # `how` says what the client's close looked like: "eof" (FIN), "reset" (RST) or "write-error".
        eof = asyncio.ensure_future(reader.read(1))
        n = 0
        how = None
        while how is None:
            n += 1
            writer.write(chunk(b"id: %d\ndata: tick %d\n\n" % (n, n)))
            try:
                await writer.drain()
            except ConnectionError as error:
                how = "reset" if isinstance(error, ConnectionResetError) else "write-error"
                break
            done, _ = await asyncio.wait([eof], timeout=0.05)
            if done:
                how = "reset" if isinstance(eof.exception(), ConnectionResetError) else "eof"
        emit(event="disconnect", path=path, n=count, sent=n, how=how)
    elif path == "/big":
        # `mib` MiB without a line end, then a blank line and one normal event.
        writer.write(head(200, "OK", SSE))
        piece = b"a" * 65536
        for _ in range(int(query.get("mib", "8")) * 16):
            writer.write(chunk(piece))
            await writer.drain()
        writer.write(chunk(b"\n\ndata: after\n\n") + b"0\r\n\r\n")
        await writer.drain()
    elif path == "/silent":
        # Reads the request and never answers; returns when the client goes away.
        await reader.read()
    elif path == "/few":
        # `n` events with ids 1..n, `gap_ms` apart (default: all in one write), then a clean end.
        n = int(query.get("n", "5"))
        gap = int(query.get("gap_ms", "0")) / 1000
        events = [b"id: %d\ndata: event %d\n\n" % (i, i) for i in range(1, n + 1)]
        if gap == 0:
            await send_stream(writer, b"".join(events))
        else:
            writer.write(head(200, "OK", SSE))
            for event in events:
                writer.write(chunk(event))
                await writer.drain()
                await asyncio.sleep(gap)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    else:
        writer.write(head(404, "Not Found", [("Content-Length", "0"), ("Connection", "close")]))
        await writer.drain()


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Optional TLS: --tls CERT KEY, and --client-ca CA to require a client certificate signed by CA (mTLS).
    context = None
    args = sys.argv[1:]
    if "--tls" in args:
        i = args.index("--tls")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args[i + 1], args[i + 2])
        if "--client-ca" in args:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args[args.index("--client-ca") + 1])
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096, ssl=context)
    print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

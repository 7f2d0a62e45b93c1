#!/usr/bin/env python3
"""Parses an event-stream file with a PyPI SSE client library; prints one JSON line with the count and the time.

Called by `sse-bench compare` (one process per peer and round), with the Python of .venv/ (scripts/python-peers
installs the pinned libraries). Usage:

    parse-peers.py PEER FILE CHUNK_BYTES

PEER is one of:
  httpx-sse  httpx_sse.EventSource(response).iter_sse() over an httpx.Response whose body streams the file in
             CHUNK_BYTES chunks: httpx's text decoding (UTF-8, incremental), httpx-sse's line splitter and its
             decoder, as a client using httpx-sse runs them.
  sseclient  sseclient.SSEClient(chunks).events() (sseclient-py) over the same chunks: its blank-line splitting,
             per-line decoding and field handling.

Every event is pulled from the library's iterator and counted (the data is built by the library either way). The
clock runs from opening the file to the last event; interpreter start-up and imports are not timed.
Output: {"peer": ..., "version": ..., "events": N, "seconds": S}
"""

import json
import sys
import time
from importlib.metadata import version


def chunks(path, size):
    with open(path, "rb", buffering=0) as stream:
        while True:
            chunk = stream.read(size)
            if not chunk:
                return
            yield chunk


def run_httpx_sse(path, size):
    import httpx
    from httpx_sse import EventSource

    response = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=chunks(path, size)
    )
    count = 0
    for _ in EventSource(response).iter_sse():
        count += 1
    return count


def run_sseclient(path, size):
    from sseclient import SSEClient

    count = 0
    for _ in SSEClient(chunks(path, size)).events():
        count += 1
    return count


PEERS = {
    "httpx-sse": (run_httpx_sse, "httpx-sse"),
    "sseclient": (run_sseclient, "sseclient-py"),
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in PEERS:
        sys.stderr.write("usage: parse-peers.py httpx-sse|sseclient FILE CHUNK_BYTES\n")
        return 2
    peer, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    run, distribution = PEERS[peer]
    # Import outside the clock.
    if peer == "httpx-sse":
        import httpx  # noqa: F401
        import httpx_sse  # noqa: F401
    else:
        import sseclient  # noqa: F401
    start = time.perf_counter()
    events = run(path, size)
    seconds = time.perf_counter() - start
    print(json.dumps({"peer": peer, "version": version(distribution), "events": events, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

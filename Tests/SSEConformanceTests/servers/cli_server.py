"""A small SSE server for the CLI tests (stdlib only). Prints "listening on 127.0.0.1:<n>" once listening.

Routes:
  /good   a conformant stream: an event every 50 ms with an id, LF framing, Cache-Control: no-cache
  /plain  200 with Content-Type: text/plain (fails http/content-type)
  /garbage  bytes that are not HTTP at all, then close
  /huge   a stream whose first line is 4 MiB long (no line end), then a normal event
  /silent accepts the connection, reads the request, never answers
  /slow   a conformant stream with an event every 3 s
  /dies   like /slow, but 2 s after its first request the whole server exits (status 0): a server dying mid-run
  /status/<code>  that status with an HTML body (a login page, a "not found" page...) and no stream
  /flood  events as fast as the socket takes them, for ever
  /chat   fetch-style, POST only (else 405): echoes the method and the body it read in one event, then
          `data: [DONE]` and the end of the response
  /nocache  like /good without Cache-Control (warns http/cache-control; fails it under --strict)
  /paced  a conformant stream at NestJS sample 28's pace: an event with an id every second
  /serial  like /paced, but one stream at a time: a request waits, without a response head, until the stream
          before it is gone (as gunicorn's one sync worker serves)
  /capped  like /good, but at most 3 streams at once: a 4th is answered 503 (a cap per client, say);
          (after waiting 4 s for a slot); /capped?slow-refusal answers the 503 after 8 s

An optional argument is the port to listen on (default: any free one).
"""
import os
import select
import socket
import sys
import threading
import time


serial = threading.Lock()
capped = threading.Semaphore(3)


def paced(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
    for i in range(1, 1000):
        time.sleep(1)
        conn.sendall(b"id: %d\ndata: paced %d\n\n" % (i, i))


def handle(conn):
    try:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        method, path = (part.decode() for part in request.split(b" ", 2)[:2])
        if path.startswith("/chat"):
            chat(conn, method, request)
            return
        if path.startswith("/paced"):
            paced(conn)
            return
        if path.startswith("/serial"):
            with serial:
                paced(conn)
            return
        if path.startswith("/capped"):
            # A slot freed a moment ago may not be released yet on a loaded machine: wait up to 4 s for one.
            if not capped.acquire(timeout=4):
                if "slow-refusal" in path:
                    time.sleep(4)  # the refusal arrives 8 s after the request, when a 120-event primary has ended
                conn.sendall(b"HTTP/1.1 503 Too Many Streams\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
                # A hang-up frees the slot at once (the server reads the socket, as asyncio and NIO servers do).
                for i in range(1, 1000):
                    conn.sendall(b"id: %d\ndata: tick %d\n\n" % (i, i))
                    readable, _, _ = select.select([conn], [], [], 0.05)
                    if readable and not conn.recv(1):
                        break
            finally:
                capped.release()
            return
        if path.startswith("/garbage"):
            conn.sendall(bytes(range(256)) * 16)
            return
        if path.startswith("/huge"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
            conn.sendall(b"data: " + b"x" * (4 << 20) + b"\n\ndata: after\n\n")
            time.sleep(30)
            return
        if path.startswith("/silent"):
            time.sleep(120)
            return
        if path.startswith("/status/"):
            code = int(path.split("/")[2].split("?")[0])
            body = b"<!doctype html><html><head><title>%d</title></head><body><h1>page for status %d</h1>" % (code, code)
            body += b"<p>" + b"filler " * 2000 + b"</p></body></html>\n"
            conn.sendall(b"HTTP/1.1 %d Status %d\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (code, code, len(body)) + body)
            return
        if path.startswith("/dies"):
            threading.Timer(2, lambda: os._exit(0)).start()
            path = "/slow"
        if path.startswith("/slow"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
            for i in range(1, 1000):
                time.sleep(3)
                conn.sendall(b"id: %d\ndata: slow %d\n\n" % (i, i))
            return
        if path.startswith("/flood"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
            block = b"".join(b"data: flood %d\n\n" % i for i in range(4096))
            while True:
                conn.sendall(block)
        if path.startswith("/plain"):
            body = b"not a stream\n"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            return
        cache = b"" if path.startswith("/nocache") else b"Cache-Control: no-cache\r\n"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" + cache + b"Connection: close\r\n\r\n")
        for i in range(1, 1000):
            conn.sendall(b"id: %d\ndata: tick %d\n\n" % (i, i))
            time.sleep(0.05)
    except OSError:
        pass
    finally:
        conn.close()


def chat(conn, method, request):
    head, _, body = request.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(4096)
        if not chunk:
            return
        body += chunk
    if method != "POST":
        conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
    time.sleep(0.05)
    conn.sendall(b"data: " + method.encode() + b" " + body + b"\n\n")
    time.sleep(0.05)
    conn.sendall(b"data: [DONE]\n\n")


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    server.listen(64)
    print(f"listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())

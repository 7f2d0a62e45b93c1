"""A small SSE server for the CLI tests (stdlib only). Prints "listening on 127.0.0.1:<n>" once listening.

Routes:
  /good   a conformant stream: an event every 50 ms with an id, LF framing, Cache-Control: no-cache
  /plain  200 with Content-Type: text/plain (fails http/content-type)
  /garbage  bytes that are not HTTP at all, then close
  /huge   a stream whose first line is 4 MiB long (no line end), then a normal event
"""
import socket
import sys
import threading
import time


def handle(conn):
    try:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode()
        if path.startswith("/garbage"):
            conn.sendall(bytes(range(256)) * 16)
            return
        if path.startswith("/huge"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
            conn.sendall(b"data: " + b"x" * (4 << 20) + b"\n\ndata: after\n\n")
            time.sleep(30)
            return
        if path.startswith("/plain"):
            body = b"not a stream\n"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
        for i in range(1, 1000):
            conn.sendall(b"id: %d\ndata: tick %d\n\n" % (i, i))
            time.sleep(0.05)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(f"listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())

"""SSE servers whose delivery the HTML report's timelines must label (stdlib only). Prints
"listening on 127.0.0.1:<n>" once listening.

Routes:
  /burst    what a buffering proxy delivers: the head at once, 1.5 s of nothing, then six events in one write,
            then the end of the response
  /pending  one event, then an event's data line whose blank line comes 1 s later, then `data: last` with no
            blank line before the response ends
  /slow-reconnect  `retry: 2500` and one event, then the end; a request carrying Last-Event-ID (the reconnection)
            gets its head only after 1 s
"""
import socket
import sys
import threading
import time

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"


def handle(conn):
    try:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode()
        if path.startswith("/slow-reconnect") and b"\r\nlast-event-id:" in request.lower():
            time.sleep(1.0)
        conn.sendall(HEAD)
        if path.startswith("/burst"):
            time.sleep(1.5)
            conn.sendall(b"".join(b"id: %d\ndata: tick %d\n\n" % (i, i) for i in range(1, 7)))
        elif path.startswith("/pending"):
            conn.sendall(b"id: 1\ndata: first\n\n")
            time.sleep(0.2)
            conn.sendall(b"id: 2\ndata: waits\n")
            time.sleep(1.0)
            conn.sendall(b"\n")
            time.sleep(0.2)
            conn.sendall(b"data: last")
            time.sleep(0.2)
        elif path.startswith("/slow-reconnect"):
            conn.sendall(b"retry: 2500\nid: 1\ndata: once\n\n")
            time.sleep(0.1)
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

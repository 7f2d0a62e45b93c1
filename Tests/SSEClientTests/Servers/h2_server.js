// HTTP/2 server for the SSEClient tests, on Node's built-in http2 module: cleartext h2c (prior knowledge), or
// TLS with ALPN h2 given `--tls CERT KEY`. Binds 127.0.0.1 port 0, announces it with the line
// "listening on 127.0.0.1:N", then prints JSON lines like scenario_server.py: one
// {"event": "request", ..., "session": S} per stream, where S numbers
// the HTTP/2 connections. Exits when its stdin closes.
'use strict';
const http2 = require('http2');
const fs = require('fs');

function emit(fields) {
    fields.t = performance.now() / 1000;
    process.stdout.write(JSON.stringify(fields) + '\n');
}

const args = process.argv.slice(2);
const tls = args[0] === '--tls';
const server = tls
    ? http2.createSecureServer({ cert: fs.readFileSync(args[1]), key: fs.readFileSync(args[2]) })
    : http2.createServer();

let sessions = 0;
const counts = {};
server.on('session', (session) => { session.number = ++sessions; });
server.on('stream', (stream, headers) => {
    const url = new URL(headers[':path'], 'http://x');
    const path = url.pathname;
    counts[path] = (counts[path] || 0) + 1;
    const plain = {};
    for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':')) plain[name] = String(value);
    emit({ event: 'request', path, n: counts[path], headers: plain, session: stream.session.number });
    if (path !== '/few') {
        stream.respond({ ':status': 404 });
        stream.end();
        return;
    }
    // `n` events `gap_ms` apart, then the end of the stream.
    const n = Number(url.searchParams.get('n') || '3');
    const gap = Number(url.searchParams.get('gap_ms') || '0');
    stream.respond({ ':status': 200, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let i = 0;
    const next = () => {
        if (stream.destroyed) return;
        i += 1;
        stream.write(`id: ${i}\ndata: event ${i}\n\n`);
        if (i < n) setTimeout(next, gap); else stream.end();
    };
    next();
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on 127.0.0.1:${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

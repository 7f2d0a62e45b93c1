// Express streams as people deploy them (Debian's node-express and node-compression), for the gallery's
// "deployments" part. Run: NODE_PATH=/usr/share/nodejs node express_app.js   (prints "listening on 127.0.0.1:<n>";
// exits when stdin closes).
//
//   /events              an ordinary SSE route: no X-Accel-Buffering header, one ~120-byte event every 100 ms
//   /comments            only `: keep-alive` comments, every 200 ms (a quiet, valid stream)
//   /silent              200 text/event-stream, then not one byte
//   /compressed          the `compression` middleware and no flush: the compressor holds every event
//   /compressed-flush    the same with res.flush() after each event, as the middleware's README says
//   /private             401 unless `Authorization: Bearer letmein`
//   /post-only           405 to GET (a fetch-style endpoint)
//   anything else        Express's own 404 page
const express = require('express');
const compression = require('compression');

const app = express();

function sse(res) {
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
}

function ticking(req, res, { flush = false, every = 100 } = {}) {
    sse(res);
    let n = 0;
    const timer = setInterval(() => {
        n += 1;
        res.write(`id: ${n}\ndata: ${JSON.stringify({ n, text: 'x'.repeat(90) })}\n\n`);
        if (flush) res.flush();
    }, every);
    req.on('close', () => clearInterval(timer));
}

app.get('/events', (req, res) => ticking(req, res));

app.get('/comments', (req, res) => {
    sse(res);
    const timer = setInterval(() => res.write(': keep-alive\n\n'), 200);
    req.on('close', () => clearInterval(timer));
});

app.get('/silent', (req, res) => {
    sse(res);
});

app.get('/compressed', compression(), (req, res) => ticking(req, res));
app.get('/compressed-flush', compression(), (req, res) => ticking(req, res, { flush: true }));

app.get('/private', (req, res) => {
    if (req.get('authorization') !== 'Bearer letmein') {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
        return;
    }
    ticking(req, res);
});

app.post('/post-only', (req, res) => ticking(req, res));
app.all('/post-only', (req, res) => res.status(405).set('Allow', 'POST').send('Method Not Allowed'));

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    console.log(`listening on 127.0.0.1:${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

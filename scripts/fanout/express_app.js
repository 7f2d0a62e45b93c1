// Express (Debian's node-express, NODE_PATH=/usr/share/nodejs) for scripts/fanout-peers: GET /events sends
// `data: <wall-clock µs>` every 100 ms per stream, for ever. Prints `listening on 127.0.0.1:<port>` once listening.
const express = require("express");

const app = express();
app.get("/events", (req, res) => {
    res.writeHead(200, {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
        Connection: "keep-alive",
    });
    res.flushHeaders();
    const timer = setInterval(() => {
        res.write(`data: ${Date.now() * 1000}\n\n`);  // ms resolution
    }, 100);
    req.on("close", () => clearInterval(timer));
});
const server = app.listen(Number(process.argv[2] || 0), "127.0.0.1", 2048, () => {
    console.log(`listening on 127.0.0.1:${server.address().port}`);
});

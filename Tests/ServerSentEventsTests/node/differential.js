'use strict'
// Differential runner: feeds each stream vector to node-eventsource 2.0.2 over real HTTP and
// records what it dispatches.
//
// Input (stdin, or the file named by the first argument): a JSON array of {id, hex}, where hex
// is the vector's exact bytes as hexadecimal. Output (stdout): one JSON object mapping each id
// to {events: [{type, data, lastEventId}, ...]} or {error: "..."}.
//
// Per vector: a fresh HTTP server on 127.0.0.1 port 0 answers 200 text/event-stream, writes the
// bytes in one write and ends the response. One EventSource connects; every dispatched event of
// any type is recorded. The end of the first connection (node-eventsource reports it as an
// 'error' event) closes the source and the server. A vector that does not finish within
// PER_VECTOR_TIMEOUT_MS is reported as an error, never waited on.
// Run with NODE_PATH=/usr/share/nodejs (Debian's node-eventsource).

const fs = require('fs')
const http = require('http')

const PER_VECTOR_TIMEOUT_MS = 5000

function readInput () {
  const path = process.argv[2]
  const text = path ? fs.readFileSync(path, 'utf8') : fs.readFileSync(0, 'utf8')
  const list = JSON.parse(text)
  if (!Array.isArray(list)) throw new Error('input must be a JSON array of {id, hex}')
  return list
}

function bytesFromHex (hex) {
  const clean = String(hex).replace(/\s+/g, '')
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new Error('bad hex: ' + JSON.stringify(hex).slice(0, 80))
  }
  return Buffer.from(clean, 'hex')
}

// node-eventsource only calls emit() for types that have listeners, so the instance answers
// "yes" for every type and records the MessageEvents it is handed. Its own connection-level
// 'open' and 'error' events are plain Events without a `data` property; a stream's
// `event: error` or `event: open` is a MessageEvent and is recorded like any other type.
function instrument (source, onEvent, onConnectionError) {
  const always = [function () {}]
  source.listeners = function () { return always }
  source.emit = function (type, event) {
    const isMessage = event !== null && typeof event === 'object' && 'data' in event
    if (isMessage) {
      onEvent({ type: String(type), data: String(event.data), lastEventId: String(event.lastEventId) })
    } else if (type === 'error') {
      onConnectionError(event)
    }
    return true
  }
}

function runOne (EventSource, vector) {
  return new Promise(function (resolve) {
    let bytes
    try {
      bytes = bytesFromHex(vector.hex)
    } catch (err) {
      resolve({ error: err.message })
      return
    }

    const events = []
    let source = null
    let settled = false
    let served = false

    const server = http.createServer(function (req, res) {
      if (served) {
        // Only the first connection counts; a reconnection is answered 204 (no reconnect).
        res.writeHead(204)
        res.end()
        return
      }
      served = true
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      res.write(bytes)
      res.end()
    })

    function finish (result) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      try { if (source) source.close() } catch (_) {}
      try { server.closeAllConnections() } catch (_) {}
      server.close(function () { resolve(result) })
    }

    const timer = setTimeout(function () {
      finish({ error: 'timeout after ' + PER_VECTOR_TIMEOUT_MS + ' ms (' + events.length + ' events so far)' })
    }, PER_VECTOR_TIMEOUT_MS)

    server.on('error', function (err) { finish({ error: 'server: ' + err.message }) })
    server.listen(0, '127.0.0.1', function () {
      const url = 'http://127.0.0.1:' + server.address().port + '/'
      try {
        source = new EventSource(url)
      } catch (err) {
        finish({ error: 'EventSource: ' + err.message })
        return
      }
      instrument(source, function (event) { events.push(event) }, function (event) {
        if (!served) {
          const detail = event && (event.message || event.status)
          finish({ error: 'connection failed before the response: ' + (detail || 'unknown') })
          return
        }
        // The stream ended (node-eventsource reports the end as 'error'): done.
        finish({ events: events })
      })
    })
  })
}

async function main () {
  let EventSource
  try {
    EventSource = require('eventsource')
  } catch (err) {
    process.stderr.write('cannot load eventsource (set NODE_PATH=/usr/share/nodejs; apt install node-eventsource): ' +
      err.message + '\n')
    process.exit(2)
  }
  const vectors = readInput()
  const results = {}
  for (const vector of vectors) {
    results[vector.id] = await runOne(EventSource, vector)
  }
  // Exit explicitly: node-eventsource leaves its reconnection timers (as long as a vector's
  // `retry` asked for) pending after close().
  process.stdout.write(JSON.stringify(results) + '\n', function () { process.exit(0) })
}

main().catch(function (err) {
  process.stderr.write('differential.js: ' + (err && err.stack ? err.stack : String(err)) + '\n')
  process.exit(1)
})

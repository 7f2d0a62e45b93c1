import Foundation
import SSEConformance
import SSETestSupport
import Testing

/// One misbehaving server of the gallery: a route of servers/gallery_server.py that breaks exactly one rule.
struct GalleryEntry: Sendable, CustomTestStringConvertible {
    enum Where: Sendable {
        /// A passive stream, `/gallery/<name>`.
        case passive
        /// The conformance scenarios with one defect, `/scn/<name>/`.
        case scenarios
    }

    /// The route name (and the defect).
    var name: String
    /// The check it must break.
    var check: String
    /// What the route does wrong, in Markdown: GALLERY.md's "what breaks it" column is generated from it.
    var defect: String
    /// Where the same defect is met in real servers (Markdown), once per check: GALLERY.md's last column.
    var example: String? = nil
    var mode: Where
    var profile: Profile = .spec
    /// `--origin` (only the CORS entry).
    var origin: String?
    /// Text the check's `actual` must contain: the defect, named.
    var actualMentions: [String]
    /// Text the check's `expected` must contain, where `actual` alone does not name the rule.
    var expectedMentions: [String] = []
    /// Other checks that fail with it, and why: only consequences a client really suffers from the same defect,
    /// where the catalogue judges one symptom twice.
    var alsoFails: [String: String] = [:]
    /// Other SHOULD checks that warn with it, and why.
    var alsoWarns: [String: String] = [:]

    var testDescription: String { "\(check): \(name)" }

    func url(on server: ServerProcess) -> (target: String?, scenarios: String?) {
        switch mode {
        case .passive: return (server.baseURL + "gallery/\(name)?run=\(UUID().uuidString)", nil)
        case .scenarios: return (nil, server.baseURL + "scn/\(name)/")
        }
    }
}

extension GalleryEntry {
    /// Why `dispatch/expected-sequence` fails alongside every per-aspect dispatch check: it compares whole declared
    /// sequences, so any wrong type, data or id is also a wrong sequence.
    static let sequence = [
        "dispatch/expected-sequence":
            "the aggregate dispatch check: any dispatch that differs from the declared one also breaks the declared sequence"
    ]

    static let all: [GalleryEntry] = [
        // MARK: http
        GalleryEntry(
            name: "status-500",
            check: "http/status-ok",
            defect:
                #"the SSE headers are set, then the handler throws: 500 (the run's first request only, so reconnection and clients are still judged on a stream)"#,
            example:
                #"An Express handler that sets the headers, then throws before its first write, so the error middleware answers 500; an auth middleware answering 401 on an expired token. An EventSource gives up for good on any status other than 200."#,
            mode: .passive,
            actualMentions: ["500"]
        ),
        GalleryEntry(
            name: "content-type-html",
            check: "http/content-type",
            defect: #"`text/html; charset=utf-8` (first request of the run only)"#,
            example: #"Flask `Response(generator())` without `mimetype=`; Express `res.json()` instead of a stream."#,
            mode: .passive,
            actualMentions: ["text/html"]
        ),
        GalleryEntry(
            name: "no-cache-control",
            check: "http/cache-control",
            defect: #"no `Cache-Control`"#,
            example:
                #"Hand-rolled handlers that set only `Content-Type`; a CDN or shared cache may then store or coalesce the stream."#,
            mode: .passive,
            actualMentions: ["no Cache-Control"]
        ),
        GalleryEntry(
            name: "gzip",
            check: "http/no-compression",
            defect: #"`Content-Encoding: gzip` (flushed per event, so only the header gives it away)"#,
            example:
                #"Express `compression()` or nginx `gzip on` applied to `text/event-stream`: without a flush per event, the compressor holds events until its buffer fills."#,
            mode: .passive,
            actualMentions: ["Content-Encoding: gzip"]
        ),
        GalleryEntry(
            name: "content-length",
            check: "http/streaming-body",
            defect: #"three events sent with `Content-Length`"#,
            example:
                #"`res.send()` of a pre-rendered event list; serverless gateways (API Gateway with Lambda) that buffer the response and add `Content-Length`."#,
            mode: .passive,
            actualMentions: ["Content-Length"]
        ),
        GalleryEntry(
            name: "cors-wrong-origin",
            check: "http/cors",
            defect: #"`Access-Control-Allow-Origin: https://admin.example` for `--origin https://app.example`"#,
            example: #"A hard-coded allow-list; CORS middleware mounted after the SSE route."#,
            mode: .passive,
            origin: "https://app.example",
            actualMentions: ["https://admin.example"]
        ),

        // MARK: framing
        GalleryEntry(
            name: "latin1",
            check: "framing/utf8",
            defect: #"`café` written as Latin-1 (`\xE9`)"#,
            example:
                #"Java `PrintWriter` on the platform default charset; PHP strings in ISO-8859-1. Browsers show U+FFFD."#,
            mode: .passive,
            actualMentions: ["\\xE9"]
        ),
        GalleryEntry(
            name: "bom-per-event",
            check: "framing/bom",
            defect:
                #"U+FEFF before every event after the first (also warns `framing/known-fields`: the line's field name becomes `\u{FEFF}id`)"#,
            example:
                #"A .NET `StreamWriter` with `new UTF8Encoding(true)` created per write; streams concatenated from files saved with a BOM."#,
            mode: .passive,
            actualMentions: ["U+FEFF"],
            alsoWarns: [
                "framing/known-fields":
                    "the BOM glued to the line start turns `id` into the unknown field name \"\\u{FEFF}id\": the very corruption framing/bom reports"
            ]
        ),
        GalleryEntry(
            name: "mixed-line-endings",
            check: "framing/line-endings",
            defect: #"field lines CRLF, blank line LF"#,
            example:
                #"Two helpers with different line-end habits writing the same stream; lone CR is legal but breaks clients that split on LF."#,
            mode: .passive,
            actualMentions: ["mixed", "crlf", "lf"]
        ),
        GalleryEntry(
            name: "unknown-field",
            check: "framing/known-fields",
            defect: #"`type: update` instead of `event:`"#,
            example:
                #"Writing the `MessageEvent` property name (`type`) onto the wire; `Data:` capitalised. Every client ignores the field."#,
            mode: .passive,
            actualMentions: ["\"type\""]
        ),
        GalleryEntry(
            name: "late-blank-line",
            check: "framing/terminated-promptly",
            defect: #"each event's blank line 800 ms after its lines"#,
            example:
                #"Servers that write the separator before the next event (`"\n\ndata: ..."`) or flush the blank line with the next write: each event waits for the next one."#,
            mode: .passive,
            actualMentions: ["blank line came"]
        ),
        GalleryEntry(
            name: "unterminated-at-close",
            check: "framing/terminated-before-close",
            defect: #"a resumed client gets `data: goodbye…\n` and the response ends (resumed requests only)"#,
            example:
                #"A finite stream that writes its last event without the blank line before closing: the last event is silently lost."#,
            mode: .passive,
            actualMentions: ["unterminated"]
        ),
        GalleryEntry(
            name: "event-without-data",
            check: "framing/dispatchable-blocks",
            defect: #"`event: ping` blocks with no data"#,
            example:
                #"`event: ping` heartbeats without `data:`: the listener never fires, so the app's keep-alive logic never sees them."#,
            mode: .passive,
            actualMentions: ["\"ping\"", "no data"]
        ),
        GalleryEntry(
            name: "id-with-nul",
            check: "framing/id-no-null",
            defect: #"`id: 1\0`"#,
            example:
                #"C/C++ servers writing a fixed-size id buffer including its NUL. Clients ignore the id and resume from an older one."#,
            mode: .passive,
            actualMentions: ["NUL", "\\x00"]
        ),
        GalleryEntry(
            name: "retry-with-unit",
            check: "framing/retry-digits",
            defect: #"`retry: 1s`"#,
            example: #"`retry: 1.5`, `retry: 3000ms`, a timedelta written with `str()`. Browsers ignore the field."#,
            mode: .passive,
            actualMentions: ["1s"]
        ),
        GalleryEntry(
            name: "injection-retry",
            check: "framing/no-field-injection",
            defect: #"CR/LF in `retry` written raw (also warns known-fields: the injected `20` line)"#,
            example:
                #"NestJS 11.0.5 wrote CR/LF from `type`/`id`/`retry` raw onto the wire (fixed in 11.1); any server interpolating user-controlled text into `event:` or `id:` lines."#,
            mode: .scenarios,
            actualMentions: ["\"20\""],
            alsoWarns: [
                "framing/known-fields": "the injected line \"20\" is, to every client, a field with an unknown name"
            ]
        ),
        GalleryEntry(
            name: "injection-nest-11.0.5",
            check: "framing/no-field-injection",
            defect: #"raw in `type`, `id` and `retry` (also breaks event-type, last-event-id, expected-sequence)"#,
            mode: .scenarios,
            actualMentions: ["injected"],
            alsoFails: [
                "dispatch/event-type":
                    "the injected line break cuts the type short: clients get `evil` and `a`, not the app's types",
                "dispatch/last-event-id": "the injected line break cuts the id short: clients resume from `x` and `p`",
            ].merging(sequence) { a, _ in a },
            alsoWarns: [
                "framing/known-fields":
                    "the rest of each cut line (`y`, `b`, `q`, `20`) is a field with an unknown name",
                "framing/line-endings": "the app's raw CR and CRLF become line ends of their own amid the LF ones",
            ]
        ),

        // MARK: dispatch
        GalleryEntry(
            name: "type-undefined",
            check: "dispatch/message-fallback",
            defect: #"`event: undefined` for events without a type"#,
            example:
                #"A JavaScript template `` `event: ${msg.type}\n` `` written even when `type` is undefined: `message` listeners never fire."#,
            mode: .scenarios,
            actualMentions: ["\"undefined\""],
            alsoFails: sequence,
            alsoWarns: [
                "reconnect/resumes-after-id":
                    "the resumed events are untyped too, so they also arrive as \"undefined\", not as declared"
            ]
        ),
        GalleryEntry(
            name: "type-ignored",
            check: "dispatch/event-type",
            defect: #"`event:` never written"#,
            example:
                #"Serializers that drop the event name (a DTO without the `type` mapping); everything arrives at `onmessage`."#,
            mode: .scenarios,
            actualMentions: ["\"message\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "drops-multiline",
            check: "dispatch/multiline-data",
            defect: #"only the first line of multi-line data"#,
            example:
                #"Writing `data: ` + the first line only, or `data: ` + a raw multi-line string (the later lines become unknown fields)."#,
            mode: .scenarios,
            actualMentions: ["\"line1\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "zero-id-replaced",
            check: "dispatch/last-event-id",
            defect: #"numeric id `0` replaced by the counter"#,
            example:
                #"NestJS 11.0 treats a numeric `id: 0` as "no id" (a falsy test), so clients resume from the wrong event."#,
            mode: .scenarios,
            actualMentions: ["lastEventId \"3\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "extra-done-event",
            check: "dispatch/expected-sequence",
            defect: #"a `data: [DONE]` sentinel after the events"#,
            example:
                #"OpenAI-style `[DONE]` sentinels the app never produced, added by a wrapper; NestJS dropping falsy data (`0`, `false`, `null`, `""`) so events go missing."#,
            mode: .scenarios,
            actualMentions: ["[DONE]"]
        ),

        // MARK: reconnect
        GalleryEntry(
            name: "reconnection-refused",
            check: "reconnect/served-again",
            defect: #"the first request after the run's first stream ended (the reconnection) answered 503"#,
            example:
                #"Sessions or one-time stream tickets invalidated when the first stream ends. Clients that reconnect (every EventSource does) are refused for good."#,
            mode: .passive,
            actualMentions: ["503"]
        ),
        GalleryEntry(
            name: "rejects-last-event-id",
            check: "reconnect/last-event-id-accepted",
            defect: #"400 to any request with `Last-Event-ID`"#,
            example:
                #"Strict header validation or WAF rules rejecting an unexpected header; parsing the id as an integer and answering 400 when it is not one."#,
            mode: .passive,
            actualMentions: ["400"]
        ),
        GalleryEntry(
            name: "replays-after-last-event-id",
            check: "reconnect/resumes-after-id",
            defect: #"the resume scenario restarts"#,
            example:
                #"NestJS and most frameworks ignore `Last-Event-ID`: clients see duplicates after every reconnection."#,
            mode: .scenarios,
            actualMentions: ["event 1"]
        ),
        GalleryEntry(
            name: "retry-seconds",
            check: "reconnect/retry-honored",
            defect: #"`retry: 1500` (ms) written as `retry: 2` (seconds)"#,
            example:
                #"Libraries taking the retry in seconds and writing seconds: clients reconnect in 2 ms, a reconnection storm."#,
            mode: .scenarios,
            actualMentions: ["reconnection time 2"]
        ),

        // MARK: close
        GalleryEntry(
            name: "keeps-producing-after-abort",
            check: "close/client-abort-releases",
            defect: #"the endless producer runs 10 s after the client left"#,
            example:
                #"`setInterval` not cleared on `req.on('close')`; an RxJS subscription or a Python generator not torn down. It leaks memory and CPU per departed client."#,
            mode: .scenarios,
            actualMentions: ["still running"]
        ),
        GalleryEntry(
            name: "truncated-end",
            check: "close/server-complete-clean",
            defect: #"a resumed request's socket is closed without the chunked terminator (resumed requests only)"#,
            example:
                #"`res.socket.destroy()` instead of `res.end()`; a crash or proxy timeout cutting a chunked response."#,
            mode: .passive,
            actualMentions: ["broke"]
        ),
        GalleryEntry(
            name: "no-204-on-stop",
            check: "close/no-content-stops",
            defect: #"the stop scenario's reconnection is served again"#,
            example: #"A finished job-progress stream that never answers 204: clients reconnect to it forever."#,
            mode: .scenarios,
            actualMentions: ["200"]
        ),

        // MARK: delivery
        GalleryEntry(
            name: "buffered",
            check: "delivery/unbuffered",
            defect: #"events held and flushed every 1.5 s"#,
            example:
                #"nginx `proxy_buffering on` without `X-Accel-Buffering: no`; compression middleware without a flush; `toArray()` / `list(generator)` before writing."#,
            mode: .passive,
            actualMentions: ["buffers the stream"]
        ),
        GalleryEntry(
            name: "buffered-slow",
            check: "delivery/unbuffered",
            defect: #"a finite source collected, then written at once"#,
            mode: .scenarios,
            actualMentions: ["held back"]
        ),
        GalleryEntry(
            name: "one-client-at-a-time",
            check: "delivery/concurrent-clients",
            defect: #"503 while another stream is open"#,
            example:
                #"A single-subscriber channel or queue; single-threaded dev servers (Flask without `threaded=True`, PHP's built-in server) that serve one stream at a time."#,
            mode: .passive,
            actualMentions: ["503"]
        ),

        // MARK: nest
        GalleryEntry(
            name: "nest-plain-headers",
            check: "nest/headers",
            defect: #"only `Content-Type`, `Cache-Control: no-cache`, `Connection`"#,
            example:
                #"A hand-written Express SSE route, or a Nest port to another framework, without `X-Accel-Buffering: no`, `Pragma`, `Expire`."#,
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["X-Accel-Buffering missing", "Pragma missing"]
        ),
        GalleryEntry(
            name: "nest-no-initial-newline",
            check: "nest/initial-newline",
            defect: #"the body starts with `id: 1`"#,
            example: #"Ports of Nest services that do not write Nest's opening `\n`."#,
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["begins \"id: 1"]
        ),
        // Passively an app's own numeric ids look like a counter, so nest/auto-ids is INFO there:
        // the gallery proves it with the scenarios, whose declared ids say which events take the counter.
        GalleryEntry(
            name: "global-counter",
            check: "nest/auto-ids",
            defect:
                #"one id counter shared by every connection (also breaks last-event-id and expected-sequence: the ids are wrong)"#,
            example:
                #"A module-level `let id = 0` in a hand-written server: later connections do not start at 1. Passively it is INFO: an app's own numeric ids look like a counter."#,
            mode: .scenarios,
            profile: .nestjs,
            actualMentions: ["id "],
            expectedMentions: ["the counter counts only events without an id"],
            alsoFails: [
                "dispatch/last-event-id":
                    "the counter's numbers are the ids clients resume from: they differ from the declared ones"
            ].merging(sequence) { a, _ in a },
            alsoWarns: [
                "nest/wire-identical": "the id lines differ from Nest's bytes",
                "nest/error-event":
                    "the error event's id comes from the shared counter, not the connection's next number",
            ]
        ),
        GalleryEntry(
            name: "nest-data-before-id",
            check: "nest/field-order",
            defect: #"`data:` before `id:`"#,
            example: #"Hand-written encoders that write data first; byte-level parity tests against Nest then fail."#,
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["data, id"]
        ),
        GalleryEntry(
            name: "object-data-split-lines",
            check: "nest/object-data-json",
            defect:
                #"objects pretty-printed over several `data:` lines (clients really get different text, so message-fallback and expected-sequence fail too)"#,
            example:
                #"`JSON.stringify(obj, null, 2)`; Python `json.dumps(indent=2)` (or its default `", "` separators)."#,
            mode: .scenarios,
            profile: .nestjs,
            actualMentions: ["data line(s)"],
            alsoFails: [
                "dispatch/message-fallback":
                    "clients really receive the pretty-printed text (with line breaks), not the declared JSON: the untyped object events' data differ"
            ].merging(sequence) { a, _ in a },
            alsoWarns: ["nest/wire-identical": "the bytes differ from Nest's wherever objects are written"]
        ),
        GalleryEntry(
            name: "comment-heartbeats",
            check: "nest/wire-identical",
            defect: #"`: keep-alive` after each event"#,
            example: #"Heartbeat comments, `data:x` without a space, CRLF: legal bytes, but not Nest's."#,
            mode: .scenarios,
            profile: .nestjs,
            actualMentions: [": keep-alive"]
        ),
        GalleryEntry(
            name: "error-event-retry",
            check: "nest/error-event",
            defect: #"the error event carries an extra `retry: 3000`"#,
            example:
                #"Servers that add a back-off hint to the error event, or use their own error shape instead of Nest's `event: error`, next id, message."#,
            mode: .scenarios,
            profile: .nestjs,
            actualMentions: ["retry: 3000"],
            alsoWarns: ["nest/wire-identical": "the extra retry line is bytes Nest does not write"]
        ),
    ]
}

/// The whole gallery runs under one serialized suite (timing checks are not starved on 2 cores), with the
/// gallery server started once around it.
@Suite("Gallery", .serialized, .galleryServer)
struct GalleryTests {}

extension GalleryTests {
    @Suite("Misbehaving servers: every check can fail")
    struct Misbehaving {
        @Test("Every MUST and SHOULD check has a gallery entry")
        func everyCheckHasAnEntry() {
            let covered = Set(GalleryEntry.all.map(\.check))
            for check in Catalogue.all where check.level != .info {
                #expect(
                    covered.contains(check.id),
                    "\(check.id) (\(check.level.rawValue)) has no gallery entry: add a server that breaks it"
                )
            }
            for entry in GalleryEntry.all {
                #expect(Catalogue.check(entry.check) != nil, "\(entry.name) names an unknown check \(entry.check)")
            }
        }

        @Test(arguments: GalleryEntry.all)
        func entry(_ entry: GalleryEntry) async throws {
            let server = try Gallery.running()
            let urls = entry.url(on: server)
            let run = await SuiteRun.run(
                target: urls.target,
                scenarios: urls.scenarios,
                profile: entry.profile,
                origin: entry.origin
            )
            let check = try #require(Catalogue.check(entry.check))
            let result = try #require(run[entry.check], "\(entry.check) did not run\n\(run.summary)")

            // The entry's check reports the defect, naming it.
            let wanted: OutcomeStatus = check.level == .must ? .fail : .warn
            #expect(
                result.status == wanted,
                "\(entry.check) should \(wanted.rawValue) against \(entry.name)\n\(run.summary)\nserver log:\n\(server.logTail())"
            )
            #expect(!result.expected.isEmpty && !result.actual.isEmpty, "expected/actual must say what broke")
            for text in entry.actualMentions {
                #expect(
                    result.actual.localizedCaseInsensitiveContains(text),
                    "actual should name the defect (\(text.debugDescription)): \(result.actual)"
                )
            }
            for text in entry.expectedMentions {
                #expect(
                    result.expected.localizedCaseInsensitiveContains(text),
                    "expected should name the rule (\(text.debugDescription)): \(result.expected)"
                )
            }
            #expect(!result.evidence.summary.isEmpty, "the verdict carries evidence")
            // Under --strict a SHOULD warning is a failure.
            #expect(run.strict(entry.check)?.status == .fail, "\(entry.check) under --strict")

            // Nothing else fails, errors or warns, beyond the consequences listed (with their reasons) in the table.
            let unexpected = run.results.filter { other in
                guard other.id != entry.check else { return false }
                switch other.status {
                case .fail: return entry.alsoFails[other.id] == nil
                case .error: return true
                case .warn: return entry.alsoWarns[other.id] == nil && entry.alsoFails[other.id] == nil
                case .pass, .skip, .info: return false
                }
            }
            let names = unexpected.map { "\($0.id) \($0.status.rawValue)" }
            let message = "\(entry.name): unrelated verdicts \(names)\n\(run.summary)"
            #expect(unexpected.isEmpty, "\(message)")
            for (id, why) in entry.alsoFails {
                #expect(
                    run[id]?.status == .fail,
                    "\(id) was listed as failing with \(entry.name) (\(why)); it did not: remove it from the table\n\(run.summary)"
                )
            }
            print(
                "gallery \(entry.name): \(entry.check) \(result.status.rawValue) in \(String(format: "%.1f", run.seconds)) s: \(result.actual)"
            )
        }
    }
}

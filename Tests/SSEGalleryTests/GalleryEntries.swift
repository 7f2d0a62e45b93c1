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
    var mode: Where
    var profile: Profile = .spec
    /// `--origin` (only the CORS entry).
    var origin: String?
    /// Text the check's `actual` must contain: the defect, named.
    var actualMentions: [String]
    /// Text the check's `expected` must contain, where `actual` alone does not name the rule.
    var expectedMentions: [String] = []
    /// Other checks that fail with it, and why: only consequences a client really suffers from the same defect,
    /// where the catalogue judges one symptom twice (FINDINGS.md says which overlaps the lead may want to remove).
    var alsoFails: [String: String] = [:]
    /// Other SHOULD checks that warn with it, and why.
    var alsoWarns: [String: String] = [:]
    /// Set when the entry shows a defect of the checks themselves (FINDINGS.md): the unexpected failures are then
    /// recorded as a known issue, for the lead to fix in Sources/.
    var knownIssue: String?

    var testDescription: String { "\(name) breaks \(check)" }

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
        GalleryEntry(name: "status-500", check: "http/status-ok", mode: .passive, actualMentions: ["500"]),
        GalleryEntry(
            name: "content-type-html",
            check: "http/content-type",
            mode: .passive,
            actualMentions: ["text/html"]
        ),
        GalleryEntry(
            name: "no-cache-control",
            check: "http/cache-control",
            mode: .passive,
            actualMentions: ["no Cache-Control"]
        ),
        GalleryEntry(
            name: "gzip",
            check: "http/no-compression",
            mode: .passive,
            actualMentions: ["Content-Encoding: gzip"]
        ),
        GalleryEntry(
            name: "content-length",
            check: "http/streaming-body",
            mode: .passive,
            actualMentions: ["Content-Length"]
        ),
        GalleryEntry(
            name: "cors-wrong-origin",
            check: "http/cors",
            mode: .passive,
            origin: "https://app.example",
            actualMentions: ["https://admin.example"]
        ),

        // MARK: framing
        GalleryEntry(name: "latin1", check: "framing/utf8", mode: .passive, actualMentions: ["\\xE9"]),
        GalleryEntry(
            name: "bom-per-event",
            check: "framing/bom",
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
            mode: .passive,
            actualMentions: ["mixed", "crlf", "lf"]
        ),
        GalleryEntry(
            name: "unknown-field",
            check: "framing/known-fields",
            mode: .passive,
            actualMentions: ["\"type\""]
        ),
        GalleryEntry(
            name: "late-blank-line",
            check: "framing/terminated-promptly",
            mode: .passive,
            actualMentions: ["blank line came"]
        ),
        GalleryEntry(
            name: "unterminated-at-close",
            check: "framing/terminated-before-close",
            mode: .passive,
            actualMentions: ["unterminated"]
        ),
        GalleryEntry(
            name: "event-without-data",
            check: "framing/dispatchable-blocks",
            mode: .passive,
            actualMentions: ["\"ping\"", "no data"]
        ),
        GalleryEntry(
            name: "id-with-nul",
            check: "framing/id-no-null",
            mode: .passive,
            actualMentions: ["NUL", "\\x00"]
        ),
        GalleryEntry(name: "retry-with-unit", check: "framing/retry-digits", mode: .passive, actualMentions: ["1s"]),
        GalleryEntry(
            name: "injection-retry",
            check: "framing/no-field-injection",
            mode: .scenarios,
            actualMentions: ["\"20\""],
            alsoWarns: [
                "framing/known-fields": "the injected line \"20\" is, to every client, a field with an unknown name"
            ]
        ),
        GalleryEntry(
            name: "injection-nest-11.0.5",
            check: "framing/no-field-injection",
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
            mode: .scenarios,
            actualMentions: ["\"message\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "drops-multiline",
            check: "dispatch/multiline-data",
            mode: .scenarios,
            actualMentions: ["\"line1\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "zero-id-replaced",
            check: "dispatch/last-event-id",
            mode: .scenarios,
            actualMentions: ["lastEventId \"3\""],
            alsoFails: sequence
        ),
        GalleryEntry(
            name: "extra-done-event",
            check: "dispatch/expected-sequence",
            mode: .scenarios,
            actualMentions: ["[DONE]"]
        ),

        // MARK: reconnect
        GalleryEntry(
            name: "reconnection-refused",
            check: "reconnect/served-again",
            mode: .passive,
            actualMentions: ["503"]
        ),
        GalleryEntry(
            name: "rejects-last-event-id",
            check: "reconnect/last-event-id-accepted",
            mode: .passive,
            actualMentions: ["400"]
        ),
        GalleryEntry(
            name: "replays-after-last-event-id",
            check: "reconnect/resumes-after-id",
            mode: .scenarios,
            actualMentions: ["event 1"]
        ),
        GalleryEntry(
            name: "retry-seconds",
            check: "reconnect/retry-honored",
            mode: .scenarios,
            actualMentions: ["reconnection time 2"]
        ),

        // MARK: close
        GalleryEntry(
            name: "keeps-producing-after-abort",
            check: "close/client-abort-releases",
            mode: .scenarios,
            actualMentions: ["still running"]
        ),
        GalleryEntry(
            name: "truncated-end",
            check: "close/server-complete-clean",
            mode: .passive,
            actualMentions: ["broke"]
        ),
        GalleryEntry(
            name: "no-204-on-stop",
            check: "close/no-content-stops",
            mode: .scenarios,
            actualMentions: ["200"]
        ),

        // MARK: delivery
        GalleryEntry(
            name: "buffered",
            check: "delivery/unbuffered",
            mode: .passive,
            actualMentions: ["buffers the stream"]
        ),
        GalleryEntry(
            name: "buffered-slow",
            check: "delivery/unbuffered",
            mode: .scenarios,
            actualMentions: ["held back"]
        ),
        GalleryEntry(
            name: "one-client-at-a-time",
            check: "delivery/concurrent-clients",
            mode: .passive,
            actualMentions: ["503"]
        ),

        // MARK: nest
        GalleryEntry(
            name: "nest-plain-headers",
            check: "nest/headers",
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["X-Accel-Buffering missing", "Pragma missing"]
        ),
        GalleryEntry(
            name: "nest-no-initial-newline",
            check: "nest/initial-newline",
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["begins \"id: 1"]
        ),
        // Passively an app's own numeric ids look like a counter, so nest/auto-ids is INFO there (FINDINGS F7):
        // the gallery proves it with the scenarios, whose declared ids say which events take the counter.
        GalleryEntry(
            name: "global-counter",
            check: "nest/auto-ids",
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
            mode: .passive,
            profile: .nestjs,
            actualMentions: ["data, id"]
        ),
        GalleryEntry(
            name: "object-data-split-lines",
            check: "nest/object-data-json",
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
            mode: .scenarios,
            profile: .nestjs,
            actualMentions: [": keep-alive"]
        ),
        GalleryEntry(
            name: "error-event-retry",
            check: "nest/error-event",
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
                case .pass, .skip: return false
                }
            }
            let names = unexpected.map { "\($0.id) \($0.status.rawValue)" }
            let message = "\(entry.name): unrelated verdicts \(names)\n\(run.summary)"
            let clean = unexpected.isEmpty
            if let knownIssue = entry.knownIssue {
                withKnownIssue(Comment(rawValue: knownIssue)) {
                    #expect(clean, "\(message)")
                }
            } else {
                #expect(clean, "\(message)")
            }
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

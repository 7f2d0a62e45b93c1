import Foundation
import SSETestSupport

@testable import SSEConformance

/// A fixed run report that exercises every outcome and every escaping problem, for the reporters' golden tests.
enum ReportFixtures {
    static let reference = SpecReference.whatwg(
        "9.2.6 Interpreting an event stream",
        anchor: "event-stream-interpretation",
        "If the file ends in the middle of an event, before the final empty line, the incomplete event is not dispatched."
    )

    /// Every byte XML 1.0 cannot carry, and markup, in what a target might send.
    static let hostile =
        "NUL \u{0} BEL \u{7} VT \u{B} FF \u{C} ESC \u{1B} DEL \u{7F} C1 \u{85}\u{9F} FFFE \u{FFFE} FFFF \u{FFFF} cdata-end ]]> markup <tag a=\"b\"> & 'q' invalid \\xFF U+FFFD \u{FFFD} tab\tcr\r"

    static var report: RunReport {
        RunReport(
            target: "http://127.0.0.1:3000/sse",
            profile: .nestjs,
            modes: [.passive, .scenarios],
            toolVersion: "0.1.0",
            timestamp: "2026-11-26T07:00:00",
            hostname: "ci-runner",
            duration: 4.2049,
            strict: false,
            results: [
                CheckResult(
                    id: "http/status-ok",
                    level: .must,
                    summary: "the stream request is answered 200",
                    reference: reference,
                    status: .pass,
                    evidence: Evidence(summary: "primary: HTTP/1.1 200 OK"),
                    duration: 0.0004
                ),
                CheckResult(
                    id: "http/cors",
                    level: .should,
                    summary: "Access-Control-Allow-Origin admits the --origin given",
                    reference: reference,
                    status: .skip,
                    message: "opt-in: pass --origin ORIGIN to check cross-origin access"
                ),
                CheckResult(
                    id: "framing/terminated-before-close",
                    level: .must,
                    summary: "when the response ends, no unterminated event is pending",
                    reference: reference,
                    status: .fail,
                    expected: "the last event terminated by a blank line before the response ends",
                    actual: "the response ended with 10 byte(s) of an unterminated event: \(hostile)",
                    evidence: Evidence(
                        summary: "primary: 10 bytes pending at byte 9 when the response ended",
                        excerpt: "primary body bytes 9..<19 (offset 9): \"data: last\" \(hostile)",
                        transcript: "== primary\n\(hostile)\n"
                    ),
                    duration: 1.23456
                ),
                CheckResult(
                    id: "framing/line-endings",
                    level: .should,
                    summary: "one line-end style throughout",
                    reference: reference,
                    status: .warn,
                    expected: "lines ended by LF or CRLF",
                    actual: "lone CR line ends (CR 4)",
                    evidence: Evidence(summary: "primary: lone CR line end in the line at byte 0"),
                    duration: 0.01
                ),
                CheckResult(
                    id: "delivery/heartbeat",
                    level: .info,
                    summary: "longest silence seen",
                    reference: reference,
                    status: .info,
                    message: "longest silence 1000 ms (primary before byte 40); 0 comment line(s) seen",
                    duration: 0
                ),
                CheckResult(
                    id: "delivery/concurrent-clients",
                    level: .must,
                    summary: "several simultaneous clients each get a complete, well-formed stream",
                    reference: reference,
                    status: .error,
                    message: "timed out after 30.0 s: the check timeout (--timeout) was reached",
                    duration: 30
                ),
            ]
        )
    }

    static var directory: URL {
        RepositoryFiles.fixture("reports")
    }

    /// The JUnit schema this project writes for the format CI systems read (fixtures/schemas/junit.xsd).
    static var schema: URL {
        RepositoryFiles.fixture("schemas/junit.xsd")
    }
}

import Foundation
import SSEConformance

/// The JSON report: the same content as the JUnit file, for scripts, and the connections the run made.
public enum JSONReporter {
    /// The report as pretty-printed JSON with sorted keys (stable for diffs and golden files); `connections`, when
    /// given, under the `connections` key.
    public static func render(_ report: RunReport, connections: [Connection] = []) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(report: report, connections: connections)
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One connection a probe made: when it started and ended, what answered, how it ended. Times are seconds:
    /// `startedAt` from the run's start, the others from the connection's own start.
    public struct Connection: Encodable, Sendable, Hashable {
        /// The probe it belongs to (`primary`, `client 2 of 3`, `scenario retry`...).
        public var probe: String
        /// The connection's own label (`primary`, `reconnection`, ...).
        public var label: String
        /// The URL requested (secrets redacted).
        public var url: String
        public var startedAt: Double
        /// When the response head arrived; absent without one.
        public var headTime: Double?
        public var endTime: Double
        /// The HTTP status; absent without a response.
        public var status: Int?
        /// How it ended, in words.
        public var end: String
        /// Body bytes received (kept or not).
        public var bodyBytes: Int
    }

    /// The connections of `records`, in order, their URLs redacted.
    public static func connections(_ records: [ProbeRecord], redactor: Redactor) -> [Connection] {
        records.flatMap { record in
            record.exchanges.map { exchange in
                Connection(
                    probe: record.name,
                    label: exchange.label,
                    url: redactor.url(exchange.url),
                    startedAt: exchange.startedAt,
                    headTime: exchange.headTime,
                    endTime: exchange.endTime,
                    status: exchange.status,
                    end: redactor.scrub(TranscriptText.describe(exchange.end)),
                    bodyBytes: exchange.chunks.reduce(0) { $0 + $1.bytes.count } + exchange.droppedBytes
                )
            }
        }
    }

    struct Document: Encodable {
        var tool = "sse-conformance"
        var report: RunReport
        var summary: [String: Int]
        var connections: [Connection]?

        init(report: RunReport, connections: [Connection]) {
            self.report = report
            summary = Dictionary(uniqueKeysWithValues: OutcomeStatus.allCases.map { ($0.rawValue, report.count($0)) })
            self.connections = connections.isEmpty ? nil : connections
        }
    }
}

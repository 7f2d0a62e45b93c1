import Foundation
import SSEConformance

/// The JSON report: the same content as the JUnit file, for scripts.
public enum JSONReporter {
    /// The report as pretty-printed JSON with sorted keys (stable for diffs and golden files).
    public static func render(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(report: report)
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        var tool = "sse-conformance"
        var report: RunReport
        var summary: [String: Int]

        init(report: RunReport) {
            self.report = report
            summary = Dictionary(uniqueKeysWithValues: OutcomeStatus.allCases.map { ($0.rawValue, report.count($0)) })
        }
    }
}

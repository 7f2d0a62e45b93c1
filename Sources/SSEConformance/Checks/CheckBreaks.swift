/// Every place where a check that judges several scenarios or connections found its rule broken, so the verdict
/// reports each of them (how many, and the first few in detail), not only the first.
struct CheckBreaks {
    /// One scenario or connection where the rule broke.
    struct Break {
        /// Where (`scenario values, connection 1`).
        var label: String
        var expected: String
        var actual: String
        var evidence: Evidence
    }

    /// What is judged, plural (`scenario connection(s)`), for the count.
    var unit: String
    private(set) var list: [Break] = []

    /// How many breaks are shown in detail.
    static let detailed = 3

    init(unit: String) { self.unit = unit }

    mutating func add(label: String, expected: String, actual: String, evidence: Evidence) {
        list.append(Break(label: label, expected: expected, actual: actual, evidence: evidence))
    }

    mutating func add(label: String, _ verdict: Verdict) {
        if case .broken(let expected, let actual, let evidence) = verdict {
            add(label: label, expected: expected, actual: actual, evidence: evidence)
        }
    }

    var isEmpty: Bool { list.isEmpty }

    /// The verdict: nil when nothing broke; one break as itself; several as their count, the first few in detail
    /// and the rest by name.
    var verdict: Verdict? {
        guard let first = list.first else { return nil }
        guard list.count > 1 else {
            return .broken(expected: first.expected, actual: first.actual, evidence: first.evidence)
        }
        let shown = list.prefix(Self.detailed)
        let rest = list.dropFirst(Self.detailed)
        var actual =
            "\(list.count) \(unit) broke: " + shown.map { "[\($0.label)] \($0.actual)" }.joined(separator: "; ")
        if !rest.isEmpty { actual += "; and \(rest.count) more: " + rest.map(\.label).joined(separator: ", ") }
        var transcripts: [String] = []
        for item in list where !item.evidence.transcript.isEmpty && !transcripts.contains(item.evidence.transcript) {
            transcripts.append(item.evidence.transcript)
        }
        return .broken(
            expected: shown.map(\.expected).joined(separator: "; ") + (rest.isEmpty ? "" : "; ..."),
            actual: actual,
            evidence: Evidence(
                summary: "\(list.count) \(unit) broke: " + list.map(\.label).joined(separator: ", ") + "; first: "
                    + first.evidence.summary,
                excerpt: first.evidence.excerpt,
                transcript: transcripts.joined(separator: "\n\n")
            )
        )
    }
}

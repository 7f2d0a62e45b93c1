/// An expected-failures baseline: check ids expected to fail, each with an optional reason
/// (`framing/line-endings  # CRLF from our proxy`), and a header comment recording the options that change
/// verdicts (`# options: --strict --profile nestjs`), so a run with other options can say why it differs.
public struct Baseline: Sendable, Hashable {
    /// The ids, in file order.
    public var ids: [String]
    /// Reasons given after `#` on an entry's line, by id.
    public var reasons: [String: String]
    /// The options recorded in the header, or nil for a file without one.
    public var options: BaselineOptions?

    /// A line that is not a known check id.
    public struct UnknownID: Error, Sendable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        /// What the line held.
        public var text: String
        public var description: String {
            "line \(line): unknown check id \(text.debugDescription) (see 'sse-conformance list')"
        }
    }

    /// Creates a baseline.
    public init(ids: [String], reasons: [String: String] = [:], options: BaselineOptions? = nil) {
        self.ids = ids
        self.reasons = reasons
        self.options = options
    }

    /// Parses a baseline: one id per line, `#` starts a comment (on an entry's line: its reason), blank lines
    /// ignored; `# options: ...` anywhere before the first entry records the options.
    public init(parsing text: String) throws(UnknownID) {
        var ids: [String] = []
        var reasons: [String: String] = [:]
        var options: BaselineOptions?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let id = parts.first.map { $0.trimmedBaselineText() } ?? ""
            let comment = parts.count > 1 ? parts[1].trimmedBaselineText() : ""
            if id.isEmpty {
                if ids.isEmpty, comment.hasPrefix("options:") {
                    options = BaselineOptions(parsing: String(comment.dropFirst("options:".count)))
                }
                continue
            }
            guard Catalogue.check(id) != nil else { throw UnknownID(line: number + 1, text: id) }
            if !ids.contains(id) { ids.append(id) }
            if !comment.isEmpty { reasons[id] = comment }
        }
        self.init(ids: ids, reasons: reasons, options: options)
    }

    /// The file's text: a header with the options, then one id per line with its reason.
    public func render() -> String {
        var text = "# sse-conformance expected failures (one check id per line, an optional reason after #)\n"
        if let options { text += "# options: \(options.render())\n" }
        for id in ids {
            text += id + (reasons[id].map { "  # " + $0 } ?? "") + "\n"
        }
        return text
    }
}

/// The options that change verdicts, as a baseline records them.
public struct BaselineOptions: Sendable, Hashable {
    /// `--strict`: SHOULD violations fail.
    public var strict: Bool
    /// The profile.
    public var profile: Profile?

    /// Creates the options.
    public init(strict: Bool, profile: Profile?) {
        self.strict = strict
        self.profile = profile
    }

    /// Reads `--strict --profile nestjs` (unknown words are ignored).
    init(parsing text: String) {
        let words = text.split(separator: " ").map(String.init)
        strict = words.contains("--strict")
        profile = words.firstIndex(of: "--profile").flatMap { index in
            index + 1 < words.count ? Profile(rawValue: words[index + 1]) : nil
        }
    }

    /// The options as command-line words.
    public func render() -> String {
        ((strict ? ["--strict"] : []) + (profile.map { ["--profile", $0.rawValue] } ?? [])).joined(separator: " ")
    }

    /// What differs from the options of a run, in words, or nil when nothing does.
    public func differences(from run: BaselineOptions) -> String? {
        var notes: [String] = []
        if strict != run.strict {
            notes.append(
                strict
                    ? "it was written with --strict, this run is not strict"
                    : "it was written without --strict, this run is strict"
            )
        }
        if let profile, let other = run.profile, profile != other {
            notes.append("it was written with --profile \(profile.rawValue), this run uses \(other.rawValue)")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}

extension Substring {
    fileprivate func trimmedBaselineText() -> String {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}

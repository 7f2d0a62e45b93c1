/// How strongly a check's rule binds a server.
public enum RequirementLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Breaking it breaks real EventSource clients: a failure.
    case must = "MUST"
    /// Spec advice or robustness: a warning, a failure under `--strict`.
    case should = "SHOULD"
    /// An observation; never a verdict.
    case info = "INFO"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How the suite exercises a target.
public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Listen to what the endpoint emits and judge what was observed.
    case passive
    /// Run the conformance scenarios of `fixtures/scenarios/` and compare with their declared dispatches.
    case scenarios
}

/// Which set of checks applies.
public enum Profile: String, Sendable, Hashable, Codable, CaseIterable {
    /// The WHATWG rules only: every check but `nest/*`.
    case spec
    /// The spec plus NestJS parity (`nest/*`).
    case nestjs
}

/// Where in the WHATWG HTML standard (or the measured NestJS format) a rule comes from.
public struct SpecReference: Sendable, Hashable, Codable {
    /// Section number and title, e.g. `9.2.6 Interpreting an event stream`.
    public var section: String
    /// URL of the section (with its anchor).
    public var url: String
    /// The sentence the check enforces, quoted.
    public var sentence: String

    /// Creates a reference.
    public init(section: String, url: String, sentence: String) {
        self.section = section
        self.url = url
        self.sentence = sentence
    }

    static let html = "https://html.spec.whatwg.org/multipage/server-sent-events.html"
    static let fetch = "https://fetch.spec.whatwg.org/"

    /// A reference into the HTML standard's server-sent events chapter.
    public static func whatwg(_ section: String, anchor: String, _ sentence: String) -> SpecReference {
        SpecReference(section: section, url: html + "#" + anchor, sentence: sentence)
    }
}

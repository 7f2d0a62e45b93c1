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

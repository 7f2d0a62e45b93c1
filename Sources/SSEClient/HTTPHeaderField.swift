/// One header line: its name with the case it was written in, and its value without surrounding whitespace.
public struct HTTPHeaderField: Sendable, Hashable, CustomStringConvertible {
    /// The name as written on the wire.
    public var name: String
    /// The value, leading and trailing spaces and tabs removed.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }

    /// Whether the field can be sent: a non-empty name without a colon or space, and no CR, LF or NUL anywhere.
    var isValidRequestField: Bool {
        let bad: (Unicode.Scalar) -> Bool = { $0 == "\r" || $0 == "\n" || $0 == "\0" }
        return !name.isEmpty && !name.unicodeScalars.contains(where: { bad($0) || $0 == ":" || $0 == " " })
            && !value.unicodeScalars.contains(where: bad)
    }

    /// Parses one header line (without or with its line end). Nil for a line without a colon.
    init?(line: Substring) {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        name = String(line[..<colon])
        value = String(line[line.index(after: colon)...]).trimmingHTTPWhitespace()
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CRs and LFs.
    func trimmingHTTPWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}

extension Array where Element == HTTPHeaderField {
    /// The value of the last field with this name (compared case-insensitively), if any.
    public func last(named name: String) -> String? {
        let wanted = name.lowercased()
        return last { $0.name.lowercased() == wanted }?.value
    }

    /// The values of every field with this name (compared case-insensitively), in order.
    public func all(named name: String) -> [String] {
        let wanted = name.lowercased()
        return filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}

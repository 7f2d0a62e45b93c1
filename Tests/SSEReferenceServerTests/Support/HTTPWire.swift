/// An HTTP/1.1 response as bytes on the wire: status, headers in order, and the body with its chunks.
struct HTTPWire: CustomStringConvertible {
    var status: Int
    var headers: [(name: String, value: String)]
    /// The body's chunks as the server framed them (one element when not chunked).
    var chunks: [[UInt8]]
    /// Whether the chunked body ended with its terminating zero-size chunk.
    var complete: Bool

    /// The body with the chunk framing removed.
    var body: [UInt8] { chunks.flatMap { $0 } }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The header set to compare with a capture: lower-cased names with their values, sorted, without the headers
    /// that differ by server or run (`Date`, `Server`, `x-powered-by`).
    var comparableHeaders: [String] {
        headers.map { "\($0.name.lowercased()): \($0.value)" }
            .filter { !$0.hasPrefix("date:") && !$0.hasPrefix("server:") && !$0.hasPrefix("x-powered-by:") }
            .sorted()
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var description: String { "HTTP \(status) \(headers) \(bodyText.debugDescription)" }

    struct Malformed: Error { var reason: String }

    /// Parses a response; a chunked body may be cut anywhere (an aborted or still-open stream).
    init(parsing bytes: [UInt8]) throws {
        let crlf: [UInt8] = [13, 10]
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard bytes.count >= needle.count else { return nil }
            var i = start
            while i + needle.count <= bytes.count {
                if Array(bytes[i..<i + needle.count]) == needle { return i }
                i += 1
            }
            return nil
        }
        guard let headEnd = find(crlf + crlf, from: 0) else { throw Malformed(reason: "no end of head") }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Malformed(reason: lines[0]) }
        self.status = status
        headers = lines.dropFirst().map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingLeadingSpaces())
        }
        var position = headEnd + 4
        chunks = []
        complete = false
        let chunked = headers.contains { $0.name.lowercased() == "transfer-encoding" && $0.value == "chunked" }
        guard chunked else {
            chunks = position < bytes.count ? [Array(bytes[position...])] : []
            complete = true
            return
        }
        while let lineEnd = find(crlf, from: position) {
            let sizeText = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16) else { throw Malformed(reason: "chunk size \(sizeText)") }
            if size == 0 {
                complete = true
                break
            }
            let start = lineEnd + 2
            guard start + size <= bytes.count else {
                chunks.append(Array(bytes[start...]))
                break
            }
            chunks.append(Array(bytes[start..<start + size]))
            position = start + size + 2
        }
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}

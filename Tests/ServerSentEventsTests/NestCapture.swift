import Foundation
import SSETestSupport

/// A response NestJS sent, as `curl -sN -i --raw` saved it in `fixtures/nest/`: status line, headers, and the
/// chunked body with its framing removed.
struct NestCapture {
    var statusLine: String
    var headers: [(name: String, value: String)]
    /// The body's chunks, in order, framing removed (each chunk is one write by Nest).
    var chunks: [[UInt8]]
    /// Whether the chunked body ended with its terminator (a completed stream) or was cut.
    var complete: Bool

    var body: [UInt8] { chunks.flatMap { $0 } }

    static var directory: URL { RepositoryFiles.fixture("nest") }

    static func load(_ name: String) throws -> NestCapture {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        return try NestCapture(raw: bytes)
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(raw: [UInt8]) throws {
        let crlfcrlf: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = (0...(raw.count - 4)).first(where: { Array(raw[$0..<$0 + 4]) == crlfcrlf }) else {
            throw Malformed(description: "no end of headers")
        }
        let headLines = String(decoding: raw[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        statusLine = headLines[0]
        headers = headLines.dropFirst().map { line in
            let colon = line.firstIndex(of: ":")!
            return (
                String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            )
        }
        var index = headEnd + 4
        chunks = []
        complete = false
        while index < raw.count {
            guard let lineEnd = (index..<(raw.count - 1)).first(where: { raw[$0] == 13 && raw[$0 + 1] == 10 }) else {
                break
            }
            guard let size = Int(String(decoding: raw[index..<lineEnd], as: UTF8.self), radix: 16) else {
                throw Malformed(description: "bad chunk size at byte \(index)")
            }
            if size == 0 {
                complete = true
                break
            }
            let start = lineEnd + 2
            guard start + size + 2 <= raw.count else { break }  // cut mid-chunk by curl's time limit
            chunks.append(Array(raw[start..<start + size]))
            index = start + size + 2
        }
    }
}

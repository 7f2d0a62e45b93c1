import ServerSentEvents

/// Human-readable renderings of wire bytes: every byte the target sent is shown, escaped, never interpreted.
public enum TranscriptText {
    /// Bytes as a quoted, escaped string: printable ASCII as is, `\r` `\n` `\t`, other control bytes, bytes of
    /// invalid UTF-8 as `\xHH`, valid multi-byte characters as themselves.
    public static func escape(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        let array = Array(bytes)
        var i = 0
        while i < array.count {
            let byte = array[i]
            switch byte {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x80...:
                let length = validSequenceLength(array, at: i)
                if length > 0 {
                    let scalar = String(decoding: array[i..<i + length], as: UTF8.self)
                    if scalar == "\u{FEFF}" {
                        out += "\\u{FEFF}"
                    } else {
                        out += scalar
                    }
                    i += length
                    continue
                }
                out += hex(byte)
            default: out += hex(byte)
            }
            i += 1
        }
        return "\"" + out + "\""
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// Length of a valid UTF-8 sequence starting at `i`, or 0.
    static func validSequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        let slice = Array(bytes[i..<i + length])
        return UTF8Scanner.invalidSequenceCount(slice) == 0 ? length : 0
    }

    /// The bytes of `exchange`'s body around `offset`: the line it is on plus a little context, labelled with
    /// the offset and arrival time.
    public static func excerpt(_ exchange: Exchange, at offset: Int, before: Int = 48, after: Int = 48) -> String {
        let body = exchange.body
        guard !body.isEmpty else { return "(empty body)" }
        let start = max(0, min(offset, body.count) - before)
        let end = min(body.count, offset + after)
        let time = exchange.arrival(ofByte: offset).map { " arrived +\(milliseconds($0)) ms" } ?? ""
        return "\(exchange.label) body bytes \(start)..<\(end) (offset \(offset)\(time)): " + escape(body[start..<end])
    }

    /// Seconds as whole milliseconds.
    public static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    /// A duration in seconds as a user wrote it: `6`, `2.5`.
    public static func seconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e9 ? String(Int(seconds)) : String(seconds)
    }

    /// The full transcript of an exchange: request, response head, every chunk with its offset and arrival
    /// time, and how it ended. Values of `redacting` request headers are replaced.
    public static func transcript(_ exchange: Exchange, redacting: Set<String> = []) -> String {
        var out =
            "== \(exchange.label): GET \(exchange.url) (started +\(milliseconds(exchange.startedAt)) ms into the run)\n"
        for field in exchange.requestHeaders {
            let value = redacting.contains(field.name.lowercased()) ? "<redacted>" : field.value
            out += "> \(field.name): \(value)\n"
        }
        if exchange.status != nil {
            out += "< \(exchange.statusLine)\n"
            for field in exchange.responseHeaders {
                out += "< \(field.name): \(field.value)\n"
            }
        }
        // Bounded: a report holds at most about `limit` characters of chunks, the first and the last ones.
        let limit = 192 << 10
        var lines = exchange.chunks.map {
            "  +\(milliseconds($0.time)) ms @\($0.offset) [\($0.bytes.count)] \(escape($0.bytes))\n"
        }
        let total = lines.reduce(0) { $0 + $1.utf8.count }
        if total > limit {
            var head = 0
            var headSize = 0
            while head < lines.count && headSize + lines[head].utf8.count <= limit / 2 {
                headSize += lines[head].utf8.count
                head += 1
            }
            var tail = lines.count
            var tailSize = 0
            while tail > head && tailSize + lines[tail - 1].utf8.count <= limit / 2 {
                tailSize += lines[tail - 1].utf8.count
                tail -= 1
            }
            let omitted = exchange.chunks[head..<tail]
            let bytes = omitted.reduce(0) { $0 + $1.bytes.count }
            lines =
                Array(lines[..<head]) + ["  ... \(omitted.count) chunk(s), \(bytes) bytes not shown ...\n"]
                + Array(lines[tail...])
        }
        out += lines.joined()
        if exchange.droppedBytes > 0 {
            out += "  ... \(exchange.droppedBytes) bytes not kept (transcript limit)\n"
        }
        out += "== ended +\(milliseconds(exchange.endTime)) ms: \(describe(exchange.end))\n"
        return out
    }

    /// One line for how an exchange ended.
    public static func describe(_ end: ExchangeEnd) -> String {
        switch end {
        case .completed: return "the server ended the response cleanly"
        case .stoppedListening: return "we stopped listening (enough events or --listen reached)"
        case .aborted: return "we aborted the connection"
        case .broken(let reason): return "the connection broke: \(reason)"
        case .failed(let reason): return "no response: \(reason)"
        case .idleTimeout(let seconds): return "nothing arrived for \(seconds) s (idle timeout)"
        }
    }
}

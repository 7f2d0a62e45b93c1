extension EventStreamParser {
    /// Records a complete line, the invalid UTF-8 sequences and the byte order marks it holds.
    mutating func observeLine(_ line: UnsafeRawPointer, count: Int, offset: Int, terminator: LineTerminator) {
        lastLineObservation = observationLog.count
        observationLog.record(offset, .line, flag: EventStreamObservationLog.flag(terminator), a: count)
        let bytes = UnsafeRawBufferPointer(start: line, count: count)
        guard !Self.isASCII(line, count: count) else { return }
        UTF8Scanner.forEachInvalidSequence(in: bytes) { start, length in
            observationLog.record(offset + start, .invalidUTF8, a: length)
        }
        // Any U+FEFF that reaches a line is text: the stream's one leading BOM was removed before this point.
        var i = 0
        while i + 3 <= count {
            if bytes[i] == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF {
                observationLog.record(offset + i, .byteOrderMark)
                i += 3
            } else {
                i += 1
            }
        }
    }
}

extension EventStreamParser {
    /// True when no byte of `line[0..<count]` has its high bit set. Thirty-two bytes at a time, then eight.
    @inline(__always)
    static func isASCII(_ line: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        var high: UInt64 = 0
        while i &+ 32 <= count {
            high |=
                line.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                | line.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
                | line.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)
                | line.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)
            i &+= 32
        }
        while i &+ 8 <= count {
            high |= line.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < count {
            high |= UInt64(line.load(fromByteOffset: i, as: UInt8.self))
            i &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}

/// Finds maximal invalid UTF-8 sequences the way the WHATWG "UTF-8 decode" (and the Unicode "maximal subpart"
/// practice) does: each one becomes exactly one U+FFFD.
public enum UTF8Scanner {
    /// Calls `body(start, length)` for every maximal invalid sequence in `bytes`.
    public static func forEachInvalidSequence(in bytes: UnsafeRawBufferPointer, _ body: (Int, Int) -> Void) {
        let n = bytes.count
        var i = 0
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let needed: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: needed = 1
            case 0xE0:
                needed = 2
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: needed = 2
            case 0xED:
                needed = 2
                upper = 0x9F
            case 0xF0:
                needed = 3
                lower = 0x90
            case 0xF1...0xF3: needed = 3
            case 0xF4:
                needed = 3
                upper = 0x8F
            default:
                body(i, 1)
                i += 1
                continue
            }
            var seen = 0
            var j = i + 1
            while seen < needed && j < n {
                let byte = bytes[j]
                guard byte >= lower && byte <= upper else { break }
                lower = 0x80
                upper = 0xBF
                seen += 1
                j += 1
            }
            if seen < needed {
                body(i, j - i)
            }
            i = j
        }
    }

    /// The number of maximal invalid sequences (U+FFFD replacements) in `bytes`.
    public static func invalidSequenceCount(_ bytes: some Sequence<UInt8>) -> Int {
        let array = Array(bytes)
        var count = 0
        array.withUnsafeBytes { forEachInvalidSequence(in: $0) { _, _ in count += 1 } }
        return count
    }
}

extension EventStreamParser {
    /// Parses bytes from any sequence; returns what was dispatched and the limit errors, in order.
    public mutating func parse(_ bytes: some Sequence<UInt8>) -> [Output] {
        var outputs: [Output] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            parse(UnsafeRawBufferPointer(buffer)) { outputs.append($0) }
        }
        if handled == nil {
            Array(bytes).withUnsafeBytes { parse($0) { outputs.append($0) } }
        }
        return outputs
    }

    /// The events in a list of outputs.
    public static func events(in outputs: [Output]) -> [ServerSentEvent] {
        outputs.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }
}

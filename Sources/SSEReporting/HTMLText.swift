/// Text made safe for HTML, whatever the target sent: markup characters become entities (so a `<script>` in an
/// event's data stays text), and the control characters HTML cannot show become a visible `\u{..}` notation.
enum HTMLText {
    /// Escapes text for element content and for double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        XMLText.attribute(text).replacingOccurrences(of: "'", with: "&#39;")
    }

    /// Escapes text for a `<pre>`: line breaks kept as they are, everything else as ``escape(_:)``.
    static func preformatted(_ text: String) -> String {
        XMLText.content(text).replacingOccurrences(of: "'", with: "&#39;")
    }

    /// Body bytes as readable text: each line break shown (`↵` for LF, `␍` for CR) and kept as a line break,
    /// bytes of invalid UTF-8 as `\xHH`, other control characters as `\u{..}`, a U+FEFF as `\u{FEFF}`. Not yet
    /// escaped for HTML (secrets are hidden from this form first).
    static func body(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        var out = ""
        out.reserveCapacity(array.count + array.count / 8)
        var index = 0
        while index < array.count {
            let byte = array[index]
            switch byte {
            case 0x0A:
                out += "↵\n"
            case 0x0D:
                if index + 1 < array.count, array[index + 1] == 0x0A {
                    out += "␍↵\n"
                    index += 2
                    continue
                }
                out += "␍\n"
            case 0x09, 0x20...0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x80...:
                let length = sequenceLength(array, at: index)
                if length > 0 {
                    let character = String(decoding: array[index..<index + length], as: UTF8.self)
                    out += character == "\u{FEFF}" ? "\\u{FEFF}" : character
                    index += length
                    continue
                }
                out += "\\x" + hex(byte)
            default:
                out += "\\u{" + String(byte, radix: 16, uppercase: true) + "}"
            }
            index += 1
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// Length of the valid UTF-8 sequence starting at `index`, or 0 (overlongs, surrogates and truncated
    /// sequences are invalid).
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, high) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, high) = (4, 0x8F)
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        guard (low...high).contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }

    /// Seconds for a reader: `12 ms` under a second, `1.25 s` above.
    static func duration(_ seconds: Double) -> String {
        let sign = seconds < 0 ? "-" : ""
        let magnitude = abs(seconds)
        if magnitude < 1 { return "\(sign)\(Int((magnitude * 1000).rounded())) ms" }
        let hundredths = Int((magnitude * 100).rounded())
        let fraction = hundredths % 100
        return "\(sign)\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }

    /// A coordinate with one decimal, locale-free (`12.5`, `-3`).
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// A count with thousands separators (`52,113`).
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// Text made safe for XML 1.0, whatever bytes the target sent.
///
/// XML 1.0 cannot carry NUL or most C0 control characters, not even as character references, nor U+FFFE and
/// U+FFFF. Those are replaced by a visible notation (`\u{0}` for NUL) so the file stays well-formed and the
/// reader still sees what was there. Markup characters are escaped; nothing is put in CDATA, so a `]]>` in the
/// data needs no special case.
enum XMLText {
    /// Escapes element content.
    static func content(_ text: String) -> String { escape(text, inAttribute: false) }

    /// Escapes an attribute value (double-quoted). Line breaks and tabs become character references so they
    /// survive attribute-value normalisation.
    static func attribute(_ text: String) -> String { escape(text, inAttribute: true) }

    static func escape(_ text: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF || (0x7F...0x84).contains(value)
                    || (0x86...0x9F).contains(value)
                {
                    out += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

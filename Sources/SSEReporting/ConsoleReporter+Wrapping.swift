/// Wrapping to the terminal's width: at spaces; a word wider than the room (a URL) is left whole on its own
/// line rather than cut; continuation lines start with the line's own indentation, so the tree's rails and the detail
/// columns stay aligned. Without a width nothing is wrapped (logs and files keep whole, greppable lines).
extension ConsoleReporter {
    /// `line` (which starts with its own prefix) wrapped to ``width``; continuation lines start with `indent`.
    func wrapped(_ line: String, indent: String) -> String {
        guard let width, line.count > width else { return line }
        var lines: [String] = []
        var rest = Substring(line)
        var prefix = ""
        while true {
            let room = max(8, width - prefix.count)
            if rest.count <= room {
                lines.append(prefix + rest)
                break
            }
            let limit = rest.index(rest.startIndex, offsetBy: room)
            // The last space within the room (not the leading indentation); a word wider than the room stays
            // whole on its own line (a URL must stay clickable, bytes greppable).
            var cut = limit
            if rest[limit] != " " {
                if let space = rest[..<limit].lastIndex(of: " "),
                    rest[..<space].contains(where: { $0 != " " && $0 != "│" })
                {
                    cut = space
                } else {
                    cut = rest[limit...].firstIndex(of: " ") ?? rest.endIndex
                }
            }
            lines.append(prefix + rest[..<cut])
            rest = rest[cut...].drop { $0 == " " }
            prefix = indent
            if rest.isEmpty { break }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` wrapped when `used` columns of its first line are already taken; the result's continuation lines
    /// start with `indent`.
    func wrappedTail(_ text: String, after used: Int, indent: String) -> String {
        guard let width, used + 16 < width else { return text }
        let filler = String(repeating: "\u{0}", count: used)
        let whole = wrapped(filler + text, indent: indent)
        return String(whole.dropFirst(used))
    }
}

import Foundation

/// How a server the tests start as a child process says where it listens: its first line on stdout is
/// `listening on 127.0.0.1:<port>` (it binds port 0 on loopback, so the port is only known once it listens).
///
/// Every test server follows it: the Python and Node servers under `Tests/*/servers` and `Tests/SSEClientTests/Servers`,
/// and the fan-out bench's `serve`. Anything the server prints afterwards is its own business.
public enum PortAnnouncement {
    /// What the line starts with.
    public static let prefix = "listening on 127.0.0.1:"

    /// The line a server listening on `port` prints.
    public static func line(port: Int) -> String { prefix + String(port) }

    /// The port a line announces, or nil when it is not an announcement.
    public static func port(in line: String) -> Int? {
        guard line.hasPrefix(prefix) else { return nil }
        guard let port = Int(line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)) else { return nil }
        return (1...65535).contains(port) ? port : nil
    }
}

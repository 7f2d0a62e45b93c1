import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether a URL's host and port accept a TCP connection (no HTTP is spoken): how `--serve-command` knows its
/// server is up.
enum TCPConnectProbe {
    /// Whether a TCP connect to the URL's host and port (80 or 443 by default) succeeds within a second.
    static func accepts(_ text: String) async -> Bool {
        guard let url = URL(string: text), let host = url.host else { return false }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return await Task.detached { connects(host: host, port: port, timeoutMs: 1000) }.value
    }

    /// Whether any address of `host` accepts a TCP connection on `port` within `timeoutMs` each.
    static func connects(host: String, port: Int, timeoutMs: Int32) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            defer { entry = info.pointee.ai_next }
            let fd = socket(
                info.pointee.ai_family,
                info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue),
                info.pointee.ai_protocol
            )
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return true }
            guard errno == EINPROGRESS else { continue }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, timeoutMs) == 1 else { continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return true }
        }
        return false
    }
}

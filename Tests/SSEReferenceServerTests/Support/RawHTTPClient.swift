import NIOCore
import NIOPosix

/// A client that writes a request's bytes and keeps every byte of the answer, framing included.
///
/// Tests compare wire bytes with the Nest captures, so no HTTP client library sits in between. Returning from
/// ``exchange(port:request:timeout:until:)`` closes the connection: that is how a test aborts a stream.
enum RawHTTPClient {
    struct Timeout: Error, CustomStringConvertible {
        var received: [UInt8]
        var description: String {
            "timed out after \(received.count) bytes: \(String(decoding: received, as: UTF8.self))"
        }
    }

    /// A GET (or other method) request with the given headers, `Connection: close` unless keepAlive.
    static func request(
        _ path: String,
        method: String = "GET",
        headers: [(String, String)] = [],
        keepAlive: Bool = false
    ) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        text += "Cache-Control: no-cache\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !keepAlive { text += "Connection: close\r\n" }
        return text + "\r\n"
    }

    /// Sends `request` and reads until the server closes or `until` says the bytes so far are enough, then closes.
    static func exchange(
        port: Int,
        request: String,
        // No test times anything with it: it only ends an exchange whose server never answers. A full parallel run
        // has kept an in-process server from answering for over 10 s at its start.
        timeout: Duration = .seconds(40),
        until: @escaping @Sendable ([UInt8]) -> Bool = { _ in false }
    ) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    var bytes: [UInt8] = []
                    do {
                        for try await chunk in inbound {
                            bytes += chunk.readableBytesView
                            if until(bytes) { break }
                        }
                    } catch {
                        // A reset after the answer still leaves the bytes to judge.
                    }
                    return bytes
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next()!
                group.cancelAll()
                guard let bytes = first else { throw Timeout(received: []) }
                return bytes
            }
        }
    }
}

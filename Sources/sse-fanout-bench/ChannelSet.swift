import NIOCore

/// The open streams of a load client, kept on its event loop: opened in windows of concurrent connection attempts,
/// closed together.
final class ChannelSet: @unchecked Sendable {
    let loop: any EventLoop
    private var channels: [any Channel] = []

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Opens `count` streams with `connect`, `window` connection attempts at a time.
    func open(
        count: Int,
        window: Int,
        connect: @escaping @Sendable () async throws -> any Channel
    ) async throws {
        var opened = 0
        while opened < count {
            let batch = Swift.min(window, count - opened)
            try await withThrowingTaskGroup(of: (any Channel).self) { group in
                for _ in 0..<batch {
                    group.addTask { try await connect() }
                }
                for try await channel in group {
                    try await loop.submit { self.channels.append(channel) }.get()
                }
            }
            opened += batch
        }
    }

    /// Closes every open stream.
    func closeAll() async throws {
        let channels = try await loop.submit { () -> [any Channel] in
            defer { self.channels.removeAll() }
            return self.channels
        }.get()
        for channel in channels { try? await channel.close() }
    }
}

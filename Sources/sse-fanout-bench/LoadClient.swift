import Foundation
import NIOCore
import NIOPosix

/// Event-stream connections that only count events and read the tick time in each `data:` line.
///
/// Everything runs on one event loop, so the counters need no locks; read them with ``snapshot()``.
final class LoadClient: @unchecked Sendable {
    let loop: any EventLoop
    let port: Int
    private(set) var events = 0
    private(set) var histogram = LatencyHistogram()
    private let streams: ChannelSet

    init(loop: any EventLoop, port: Int) {
        self.loop = loop
        self.streams = ChannelSet(loop: loop)
        self.port = port
    }

    /// Opens `count` streams to `path`, `window` connection attempts at a time.
    func open(count: Int, path: String, window: Int = 100) async throws {
        try await streams.open(count: count, window: window) { try await self.connect(path: path, onFirstEvent: nil) }
    }

    /// Closes every open stream.
    func closeAll() async throws {
        try await streams.closeAll()
    }

    /// Events counted and the latency histogram since the last reset.
    func snapshot(reset: Bool) async throws -> (events: Int, p50: Double, p99: Double) {
        try await loop.submit {
            defer {
                if reset {
                    self.events = 0
                    self.histogram.reset()
                }
            }
            return (self.events, self.histogram.percentile(0.50), self.histogram.percentile(0.99))
        }.get()
    }

    /// Connects, sends the request, and returns the channel; `onFirstEvent` runs (on the loop) at the first event.
    func connect(path: String, onFirstEvent: (@Sendable (any Channel) -> Void)?) async throws -> any Channel {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        CountingHandler(client: self, onFirstEvent: onFirstEvent)
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        return channel
    }

    fileprivate func noteEvent(tickMicroseconds: Int64?) {
        events += 1
        if let tick = tickMicroseconds {
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            histogram.record(microseconds: now - tick)
        }
    }
}

/// Finds `data: <digits>\n` in the byte stream (across reads) and reports each as one event.
private final class CountingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private static let pattern = Array("data: ".utf8)

    unowned let client: LoadClient
    let onFirstEvent: (@Sendable (any Channel) -> Void)?
    private var matched = 0
    private var inNumber = false
    private var number: Int64 = 0
    private var digits = 0
    private var sawEvent = false

    init(client: LoadClient, onFirstEvent: (@Sendable (any Channel) -> Void)?) {
        self.client = client
        self.onFirstEvent = onFirstEvent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                if inNumber {
                    if byte >= 0x30, byte <= 0x39 {
                        number = number * 10 + Int64(byte - 0x30)
                        digits += 1
                        continue
                    }
                    inNumber = false
                    client.noteEvent(tickMicroseconds: digits > 0 && byte == 0x0A ? number : nil)
                    if !sawEvent {
                        sawEvent = true
                        onFirstEvent?(context.channel)
                    }
                    matched = 0
                    continue
                }
                if byte == Self.pattern[matched] {
                    matched += 1
                    if matched == Self.pattern.count {
                        inNumber = true
                        number = 0
                        digits = 0
                        matched = 0
                    }
                } else {
                    matched = byte == Self.pattern[0] ? 1 : 0
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

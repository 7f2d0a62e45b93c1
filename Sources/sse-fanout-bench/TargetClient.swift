import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServerSentEvents

/// Event-stream connections to any HTTP/1.1 server (`--target URL`): NIO's HTTP/1 decoder (so chunked and
/// identity bodies alike), then the event-stream parser on each stream; counts dispatched events and the time
/// between two events of one stream (inter-arrival). When an event's data is a wall-clock time in microseconds
/// (`bench/clock`, and the servers `scripts/fanout-peers` starts), the delivery latency is recorded too.
///
/// Everything runs on one event loop, so the counters need no locks; read them with ``snapshot(reset:)``.
final class TargetClient: @unchecked Sendable {
    let loop: any EventLoop
    let host: String
    let port: Int
    let path: String
    private(set) var events = 0
    private var gaps = LatencyHistogram()
    private var latency = LatencyHistogram()
    /// Streams that were refused, answered other than 200, or ended.
    private(set) var failures: [String] = []
    private let streams: ChannelSet

    /// What one measurement window saw.
    struct Snapshot {
        var events: Int
        var gapP50: Double
        var gapP99: Double
        var latencyP50: Double
        var latencyP99: Double
        var latencySamples: Int
        var failures: [String]
    }

    init(loop: any EventLoop, url: URL) throws {
        guard url.scheme == "http", let host = url.host else {
            throw BenchFailure("--target takes an http:// URL (HTTP/1.1, no TLS): \(url.absoluteString)")
        }
        self.loop = loop
        self.streams = ChannelSet(loop: loop)
        self.host = host
        self.port = url.port ?? 80
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        self.path = path
    }

    /// Opens `count` streams, `window` connection attempts at a time.
    func open(count: Int, window: Int = 100) async throws {
        try await streams.open(count: count, window: window) { try await self.connect() }
    }

    /// Closes every open stream.
    func closeAll() async throws {
        try await streams.closeAll()
    }

    /// Events and percentiles since the last reset.
    func snapshot(reset: Bool) async throws -> Snapshot {
        try await loop.submit {
            let snapshot = Snapshot(
                events: self.events,
                gapP50: self.gaps.percentile(0.50),
                gapP99: self.gaps.percentile(0.99),
                latencyP50: self.latency.percentile(0.50),
                latencyP99: self.latency.percentile(0.99),
                latencySamples: self.latency.count,
                failures: self.failures
            )
            if reset {
                self.events = 0
                self.gaps.reset()
                self.latency.reset()
            }
            return snapshot
        }.get()
    }

    func connect() async throws -> any Channel {
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(EventStreamHandler(client: self))
                }
            }
            .connect(host: host, port: port).get()
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Accept", value: "text/event-stream")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return channel
    }

    fileprivate func noteEvent(gapNanoseconds: UInt64?, data: String) {
        events += 1
        if let gap = gapNanoseconds { gaps.record(microseconds: Int64(gap / 1000)) }
        if data.utf8.count >= 13, data.utf8.count <= 19, data.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let tick = Int64(data)
        {
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            latency.record(microseconds: now - tick)
        }
    }

    fileprivate func noteFailure(_ text: String) {
        if failures.count < 20 { failures.append(text) }
    }
}

/// One stream: the response head must be 200; the body goes through the event-stream parser.
private final class EventStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    unowned let client: TargetClient
    private var parser = EventStreamParser()
    private var lastArrival: UInt64?
    private var open = false

    init(client: TargetClient) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status == .ok {
                open = true
            } else {
                client.noteFailure("status \(head.status.code)")
                context.close(promise: nil)
            }
        case .body(let buffer):
            guard open else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            buffer.withUnsafeReadableBytes { bytes in
                parser.parse(bytes) { output in
                    guard case .event(let event) = output else { return }
                    client.noteEvent(gapNanoseconds: lastArrival.map { now &- $0 }, data: event.data)
                    lastArrival = now
                }
            }
        case .end:
            if open { client.noteFailure("stream ended") }
            open = false
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if open { client.noteFailure("connection closed") }
        open = false
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        client.noteFailure("\(error)")
        context.close(promise: nil)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import NIOCore

/// Sizes a connection's buffers for event streams, then leaves the pipeline.
///
/// - Receive buffers: SwiftNIO keeps each channel's receive buffers in a pool, 2 KiB each by default. An
///   event-stream connection receives one small request and then only waits for its close, so 256 bytes to start
///   with (growing as needed) saves most of that memory on every open stream.
/// - Write buffer: a client that reads slower than its events are produced makes writes queue in the server. With
///   a 16 KiB high-water mark (NIO's default is 64 KiB) the stream's writer waits sooner, and a stream that falls
///   behind writes what it owes in one buffer once the client catches up, instead of queueing it event by event.
final class StreamConnectionTuning: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        channel.setOption(
            ChannelOptions.recvAllocator,
            value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65536)
        ).whenComplete { _ in }
        channel.setOption(
            ChannelOptions.writeBufferWaterMark,
            value: ChannelOptions.Types.WriteBufferWaterMark(low: 8 * 1024, high: 16 * 1024)
        ).whenComplete { _ in }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

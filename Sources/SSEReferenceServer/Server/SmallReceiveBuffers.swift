import NIOCore

/// Gives a connection small receive buffers.
///
/// SwiftNIO keeps each channel's receive buffers in a pool, 2 KiB each by default. An event-stream connection
/// receives one small request and then only waits for its close, so that memory is held for nothing by every open
/// stream; 256 bytes to start with (growing as needed) saves most of it.
final class SmallReceiveBuffers: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(
            ChannelOptions.recvAllocator,
            value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65536)
        ).whenComplete { _ in }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

extension EventStreamParser {
    /// A dispatched event, borrowed from the parser for the duration of one ``EventStreamParser/parse(_:events:errors:)``
    /// callback: the zero-copy form of ``ServerSentEvent``.
    ///
    /// It holds what the WHATWG "dispatch the event" step produces, exactly as ``ServerSentEvent`` does: the type
    /// (`message` when the block gave none), the data (every `data` line of the block joined with LF, the one
    /// trailing LF removed) and the source's last event ID at the moment of dispatch. The difference is the data:
    /// it is the bytes as they arrived, in the caller's chunk or the parser's own buffer, not a decoded `String`.
    ///
    /// - The view cannot be copied out of the callback, and ``data`` must not be used after the callback returns
    ///   (the chunk or buffer it points into is reused). Keep ``makeEvent()``, or copy the bytes, to keep an event.
    /// - ``data`` is raw: invalid UTF-8 is passed through as is. The spec decodes the stream with UTF-8 decode
    ///   (each maximal invalid sequence becomes one U+FFFD), which is what `String(decoding: data, as: UTF8.self)`
    ///   does; ``dataString`` and ``makeEvent()`` give exactly that, the `String` ``parse(_:_:)`` dispatches. A
    ///   consumer that feeds the bytes to a decoder of its own (JSON, say) sees the invalid bytes instead of
    ///   U+FFFD, which a strict decoder rejects as it should.
    public struct EventView: ~Copyable {
        // The Strings are the parser's own, borrowed for the callback: the view is trivial to make and to drop.
        let typePointer: UnsafePointer<String>
        let lastEventIdPointer: UnsafePointer<String>

        /// The data bytes: every `data` line of the block joined with LF, without the trailing LF. Valid only
        /// during the callback.
        public let data: UnsafeRawBufferPointer

        /// The event type: the block's last `event` value, or `message` when it was empty or absent.
        public var type: String { typePointer.pointee }
        /// The source's last event ID when the event was dispatched.
        public var lastEventId: String { lastEventIdPointer.pointee }

        init(
            type: UnsafePointer<String>,
            data: UnsafeRawBufferPointer,
            lastEventId: UnsafePointer<String>
        ) {
            self.typePointer = type
            self.data = data
            self.lastEventIdPointer = lastEventId
        }

        /// The data decoded as the spec decodes it (UTF-8, each maximal invalid sequence as one U+FFFD): the
        /// ``ServerSentEvent/data`` that ``EventStreamParser/parse(_:_:)`` dispatches. Makes a new `String`.
        public var dataString: String {
            String(decoding: data, as: UTF8.self)
        }

        /// The event as ``EventStreamParser/parse(_:_:)`` dispatches it, to keep after the callback.
        public func makeEvent() -> ServerSentEvent {
            ServerSentEvent(type: type, data: dataString, lastEventId: lastEventId)
        }
    }
}

extension ServerSentEvent {
    /// The event a borrowed view stands for (see ``EventStreamParser/EventView/makeEvent()``).
    public init(_ view: borrowing EventStreamParser.EventView) {
        self = view.makeEvent()
    }
}

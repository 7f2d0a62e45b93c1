import ServerSentEvents
import Testing

/// Every vector in fixtures/streams/ through the chunk-invariance helper: the parser must produce the events,
/// last event ID, reconnection time, limit errors and invalid-UTF-8 count the spec gives, however it is chunked.
struct StreamVectorParserTests {
    @Test(arguments: StreamVector.all)
    func parsesAsTheSpecSays(_ vector: StreamVector) {
        let limit = vector.maxLineLength ?? (1 << 20)
        let configuration = EventStreamParser.Configuration(maxLineLength: limit, maxEventSize: limit)
        let result = ChunkInvariance.verify(vector.bytes, configuration: configuration)
        let expected = vector.events.map { ServerSentEvent(type: $0.type, data: $0.data, lastEventId: $0.lastEventId) }
        #expect(result.events == expected, "\(vector.id): \(vector.rule)")
        #expect(result.lastEventId == vector.lastEventId, "\(vector.id): source's last event ID")
        #expect(result.reconnectionTime == vector.reconnectionTime, "\(vector.id): reconnection time")
        #expect(result.errors.count == (vector.limitErrors ?? 0), "\(vector.id): limit errors \(result.errors)")
        if let invalid = vector.invalidUTF8 {
            let observed = result.observations.filter { if case .invalidUTF8 = $0.kind { true } else { false } }
            #expect(observed.count == invalid, "\(vector.id): maximal invalid UTF-8 sequences")
        }
    }
}

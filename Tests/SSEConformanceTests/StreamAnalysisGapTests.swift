import Testing

@testable import SSEConformance

/// A body whose middle was not kept (the transcript limit): the bytes after the gap do not continue the bytes
/// before it, so the analysis must not join them, and its offsets must be the body's own.
struct StreamAnalysisGapTests {
    /// `event: a` / `data: 1`, then the gap cuts a line (`ev…`); after it the rest of another line (`…xx: junk`),
    /// the end of its block, then a whole block. Joined, the halves would make a field named `evxx`.
    static var cut: Exchange {
        var exchange = Wire.stream(
            [(0.1, "event: a\ndata: 1\n\nev"), (2.0, "xx: junk\ndata: 2\n\nevent: b\ndata: 3\n\n")],
            endTime: 2.1
        )
        exchange.chunks[1].offset = 1_000
        exchange.droppedBytes = 980
        return exchange
    }

    @Test func theHalvesOfACutLineAreNotJoined() {
        let analysis = StreamAnalysis(Self.cut)
        let names = analysis.blocks.flatMap { $0.fields.map(\.name) }
        #expect(!names.contains("evxx"), "\(names)")
        #expect(!names.contains("xx"), "the block cut by the gap is not judged: \(names)")
        #expect(analysis.events.map(\.type) == ["a", "b"])
        #expect(analysis.events.map(\.data) == ["1", "3"])
    }

    @Test func offsetsAndArrivalTimesAreTheBodysOwn() {
        let analysis = StreamAnalysis(Self.cut)
        let last = analysis.blocks.last
        // "xx: junk\ndata: 2\n\n" is 18 bytes: the whole block after it starts at byte 1018 of the body.
        #expect(last?.start == 1_018, "\(String(describing: last?.start))")
        #expect(analysis.dispatchTimes == [0.1, 2.0])
    }

    @Test func framingChecksJudgeNoSeam() async {
        for id in ["framing/known-fields", "framing/dispatchable-blocks"] {
            let result = await judge(id, PassiveCheckTests.with(primary: Self.cut))
            #expect(result.status == .pass, "\(id): \(result.actual) \(result.message)")
        }
    }

    @Test func aStreamEndingUnterminatedAfterTheGapIsStillSeen() {
        var exchange = Wire.stream([(0.1, "data: 1\n\nda"), (2.0, "ta: 2\n\ndata: pending")], endTime: 2.1)
        exchange.chunks[1].offset = 500
        exchange.droppedBytes = 489
        let analysis = StreamAnalysis(exchange)
        #expect(analysis.unterminatedTail?.length == 13, "\(String(describing: analysis.unterminatedTail))")
        #expect(analysis.unterminatedTail?.offset == 507)
    }
}

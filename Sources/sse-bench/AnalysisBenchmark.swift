import SSEConformance
import ServerSentEvents

/// The conformance checks' own reading of a body: `StreamAnalysis` (the parser with observations on, then every
/// block's fields and every event made into Strings) over a generated stream held as a transcript holds it, in
/// 64 KiB chunks. Default 4 MiB: the most of a body a transcript keeps.
struct AnalysisBenchmark {
    var size: Int
    var chunk: Int
    var rounds: Int

    func run() {
        let (stream, expected) = ParseBenchmark.makeStream(size: size)
        var chunks: [BodyChunk] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunk, stream.count)
            chunks.append(
                BodyChunk(offset: offset, time: Double(chunks.count) * 0.001, bytes: Array(stream[offset..<end]))
            )
            offset = end
        }
        let exchange = Exchange(label: "bench", url: "http://127.0.0.1/", status: 200, chunks: chunks, end: .completed)
        print(
            "analysis: \(stream.count) bytes, \(expected) events of ~\(stream.count / expected) bytes, "
                + "chunks of \(chunk) bytes, best of \(rounds) rounds"
        )
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        for _ in 0..<rounds {
            let start = clock.now
            let analysis = StreamAnalysis(exchange)
            let elapsed = clock.now - start
            precondition(analysis.events.count == expected, "\(analysis.events.count) events, expected \(expected)")
            precondition(analysis.blocks.count == expected)
            best = min(best, elapsed)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
        let megabytes = Double(stream.count) / 1_000_000
        print(
            "  StreamAnalysis: \(format(megabytes / seconds)) MB/s, \(format(Double(expected) / seconds / 1e6)) M events/s"
                + " (\(format(seconds * 1000)) ms)"
        )
    }

    func format(_ value: Double) -> String { String((value * 10).rounded() / 10) }
}

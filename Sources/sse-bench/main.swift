import ServerSentEvents

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sse-bench`: performance measurements. Run in release: `swift run -c release sse-bench parse`.
let usage = """
    usage: sse-bench <benchmark> [options]

    benchmarks:
      parse [--size MiB|NK] [--chunk KiB] [--rounds N] [--mode views|strings|observations|values]
          Parses a generated stream of ~100-byte JSON events (default 64 MiB in 64 KiB chunks) with the
          event-stream parser four ways (or only the one named): observations off with every event a borrowed
          view (parse(_:events:errors:)), observations off with every event a ServerSentEvent (parse(_:_:)),
          observations on with the log taken after every chunk and every event a view (observations), and
          observations on made into EventStreamObservation values (values); prints MB/s and events/s (best of
          N rounds, default 5).
          --observations off|on is kept: off is --mode strings, on is --mode observations.
      compare [--size MiB|NK] [--chunk KiB] [--rounds N] [--python PATH] [--script PATH] [--keep FILE]
          Writes the same kind of stream (default 64 MiB; 512K is 512 KiB) to a file, then in each round
          (default 3) parses it with our parser (observations off, events as views and as ServerSentEvents;
          observations on, as the log and as values), httpx-sse and sseclient-py
          (scripts/parse-peers.py, run with .venv/bin/python: scripts/python-peers installs them) and reads
          it with `wc -l`; prints each one's best MB/s and event count, and the ratios. Exits 1 if the
          parsers' event counts differ, 2 if a peer is missing.
      analysis [--size MiB|NK] [--chunk KiB] [--rounds N]
          The conformance checks' reading of a body: StreamAnalysis (the parser with observations on, then
          every block's fields and every event as Strings) over the same kind of stream (default 4 MiB, the
          most of a body a transcript keeps) held as a transcript's chunks; prints MB/s and events/s.
    """

func option(_ name: String, in arguments: [String], default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Int(arguments[index + 1]), parsed > 0
    else { return value }
    return parsed
}

/// `--size`: MiB, or KiB with a `K` suffix.
func sizeOption(in arguments: [String], defaultMiB: Int) -> Int? {
    guard let index = arguments.firstIndex(of: "--size") else { return defaultMiB << 20 }
    guard index + 1 < arguments.count else { return nil }
    let text = arguments[index + 1]
    if text.hasSuffix("K") || text.hasSuffix("k") {
        guard let kib = Int(text.dropLast()), kib > 0 else { return nil }
        return kib << 10
    }
    guard let mib = Int(text), mib > 0 else { return nil }
    return mib << 20
}

func stringOption(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ text: String, status: Int32) -> Never {
    let message = "sse-bench: " + text + "\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    guard let size = sizeOption(in: arguments, defaultMiB: 64) else {
        fail("--size takes MiB or NK\n\n" + usage, status: 2)
    }
    var modes = ParseBenchmark.Mode.allCases
    if let name = stringOption("--mode", in: arguments) {
        guard let mode = ParseBenchmark.Mode(rawValue: name) else {
            fail("--mode takes views, strings, observations or values\n\n" + usage, status: 2)
        }
        modes = [mode]
    }
    switch stringOption("--observations", in: arguments) {
    case nil: break
    case "off": modes = [.strings]
    case "on": modes = [.observations]
    default: fail("--observations takes off or on\n\n" + usage, status: 2)
    }
    ParseBenchmark(
        size: size,
        chunk: option("--chunk", in: arguments, default: 64) << 10,
        rounds: option("--rounds", in: arguments, default: 5),
        modes: modes
    ).run()
case "compare":
    guard let size = sizeOption(in: arguments, defaultMiB: 64) else {
        fail("--size takes MiB or NK\n\n" + usage, status: 2)
    }
    do {
        let tools = try PeerTools.locate(
            python: stringOption("--python", in: arguments),
            script: stringOption("--script", in: arguments)
        )
        let status = try CompareBenchmark(
            size: size,
            chunk: option("--chunk", in: arguments, default: 64) << 10,
            rounds: option("--rounds", in: arguments, default: 3),
            tools: tools,
            keep: stringOption("--keep", in: arguments)
        ).run()
        exit(status)
    } catch {
        fail("compare: \(error)", status: 2)
    }
case "analysis":
    guard let size = sizeOption(in: arguments, defaultMiB: 4) else {
        fail("--size takes MiB or NK\n\n" + usage, status: 2)
    }
    AnalysisBenchmark(
        size: size,
        chunk: option("--chunk", in: arguments, default: 64) << 10,
        rounds: option("--rounds", in: arguments, default: 5)
    ).run()
case "-h", "--help", "help":
    print(usage)
default:
    let message = "sse-bench: unknown or missing benchmark\n\n" + usage + "\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

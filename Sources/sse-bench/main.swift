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
      parse [--size MiB] [--chunk KiB] [--rounds N]
          Parses a generated stream of ~100-byte JSON events (default 64 MiB in 64 KiB chunks) with the
          event-stream parser, observations off and on; prints MB/s and events/s (best of N rounds, default 5).
    """

func option(_ name: String, in arguments: [String], default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Int(arguments[index + 1]), parsed > 0
    else { return value }
    return parsed
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    ParseBenchmark(
        size: option("--size", in: arguments, default: 64) << 20,
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

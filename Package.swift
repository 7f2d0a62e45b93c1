// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sse-conformance",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ServerSentEvents", targets: ["ServerSentEvents"]),
        .executable(name: "sse-bench", targets: ["sse-bench"]),
    ],
    targets: [
        // The event-stream parser, `MessageEvent` and the NestJS-compatible encoder. No I/O, no dependencies.
        .target(name: "ServerSentEvents"),
        // The check catalogue, probes and runner.
        .target(name: "SSEConformance", dependencies: ["ServerSentEvents"]),
        // Console, JUnit XML and JSON reports: pure functions of a run's results.
        .target(name: "SSEReporting", dependencies: ["SSEConformance"]),
        // Benchmarks: `swift run -c release sse-bench parse`.
        .executableTarget(name: "sse-bench", dependencies: ["ServerSentEvents"]),
        .testTarget(
            name: "ServerSentEventsTests",
            dependencies: ["ServerSentEvents"],
            exclude: ["node"]
        ),
        .testTarget(name: "SSEConformanceTests", dependencies: ["SSEConformance", "SSEReporting", "ServerSentEvents"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sse-conformance",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ServerSentEvents", targets: ["ServerSentEvents"]),
        .executable(name: "sse-bench", targets: ["sse-bench"]),
    ],
    targets: [
        // The event-stream parser, `MessageEvent` and the NestJS-compatible encoder. No I/O, no dependencies.
        .target(name: "ServerSentEvents"),
        // Benchmarks: `swift run -c release sse-bench parse`.
        .executableTarget(name: "sse-bench", dependencies: ["ServerSentEvents"]),
        .testTarget(
            name: "ServerSentEventsTests",
            dependencies: ["ServerSentEvents"],
            exclude: ["node"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

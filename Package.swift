// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sse-conformance",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ServerSentEvents", targets: ["ServerSentEvents"]),
        .library(name: "SSEClient", targets: ["SSEClient"]),
        .executable(name: "sse-bench", targets: ["sse-bench"]),
    ],
    targets: [
        // The event-stream parser, `MessageEvent` and the NestJS-compatible encoder. No I/O, no dependencies.
        .target(name: "ServerSentEvents"),
        // libcurl, with typed wrappers for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The EventSource-like client: one libcurl multi handle on one thread, the spec's connection model,
        // and a transcript of every attempt.
        .target(name: "SSEClient", dependencies: ["ServerSentEvents", "CCurl"]),
        // Benchmarks: `swift run -c release sse-bench parse`.
        .executableTarget(name: "sse-bench", dependencies: ["ServerSentEvents"]),
        .testTarget(
            name: "ServerSentEventsTests",
            dependencies: ["ServerSentEvents"],
            resources: []
        ),
        .testTarget(
            name: "SSEClientTests",
            dependencies: ["SSEClient", "ServerSentEvents"],
            exclude: ["Servers"]  // Python servers the tests start as subprocesses
        ),
    ],
    swiftLanguageModes: [.v6]
)

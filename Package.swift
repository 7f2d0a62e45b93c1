// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sse-conformance",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ServerSentEvents", targets: ["ServerSentEvents"]),
        .library(name: "HummingbirdSSE", targets: ["HummingbirdSSE"]),
        .library(name: "SSEReferenceServer", targets: ["SSEReferenceServer"]),
        .library(name: "SSEClient", targets: ["SSEClient"]),
        .executable(name: "sse-conformance", targets: ["sse-conformance"]),
        .executable(name: "sse-bench", targets: ["sse-bench"]),
        .executable(name: "sse-fanout-bench", targets: ["sse-fanout-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        // The conformance scenario manifest (fixtures/scenarios/manifest.json): its model, loader and bundled copy.
        .target(name: "SSEScenarios", dependencies: ["ServerSentEvents"]),
        // NestJS-compatible `@Sse()` routes for any Hummingbird app: `router.sse(path)`, Nest's headers, the writer.
        // Named as Hummingbird's own add-on modules are (HummingbirdWebSocket, HummingbirdCompression, ...): the
        // framework it extends, then the feature; it knows nothing of scenarios.
        .target(
            name: "HummingbirdSSE",
            dependencies: [
                "ServerSentEvents",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The conformance scenarios, their stats and shared tickers on those routes; an embeddable server.
        .target(
            name: "SSEReferenceServer",
            dependencies: [
                "ServerSentEvents",
                "SSEScenarios",
                "HummingbirdSSE",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The check catalogue, probes and runner.
        .target(name: "SSEConformance", dependencies: ["ServerSentEvents", "SSEScenarios", "SSEClient"]),
        // Console, JUnit XML, JSON and HTML reports: pure functions of a run's results.
        .target(name: "SSEReporting", dependencies: ["SSEConformance", "ServerSentEvents"]),
        // The CLI: `swift run sse-conformance`.
        .executableTarget(
            name: "sse-conformance",
            dependencies: [
                "SSEConformance", "SSEReporting", "SSEReferenceServer", "SSEClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release sse-bench parse`.
        .executableTarget(name: "sse-bench", dependencies: ["ServerSentEvents", "SSEConformance"]),
        // Fan-out load figures for the reference server (plus its own `bench/clock` route):
        // `swift run -c release sse-fanout-bench`; `--target URL` drives any running server.
        .executableTarget(
            name: "sse-fanout-bench",
            dependencies: [
                "SSEReferenceServer",
                "HummingbirdSSE",
                "ServerSentEvents",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Test-only helpers, in no product: the Nest captures' handlers, the repository's file locator, the child
        // process launcher and the port announcement its servers make.
        .target(
            name: "SSETestSupport",
            dependencies: ["ServerSentEvents", "SSEScenarios"],
            path: "Tests/SSETestSupport"
        ),
        .testTarget(
            name: "ServerSentEventsTests",
            dependencies: ["ServerSentEvents", "SSEScenarios", "SSETestSupport"],
            exclude: ["node"]
        ),
        .testTarget(
            name: "SSEReferenceServerTests",
            dependencies: [
                "SSEReferenceServer",
                "HummingbirdSSE",
                "ServerSentEvents",
                "SSETestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SSEConformanceTests",
            dependencies: [
                "SSEConformance", "SSEReporting", "ServerSentEvents", "SSEClient", "SSEScenarios", "SSETestSupport",
                "sse-conformance",
            ],
            exclude: ["servers"]
        ),
        // Proof that every check can fail (a gallery of misbehaving servers) and raises no false alarm.
        .testTarget(
            name: "SSEGalleryTests",
            dependencies: [
                "SSEConformance", "SSEReferenceServer", "SSEScenarios", "ServerSentEvents", "SSETestSupport",
            ],
            exclude: ["servers", "GALLERY.md"]
        ),
        // `sse-bench compare` (the parser's peers from .venv, and `wc`) and `sse-fanout-bench --target` end to end, small.
        .testTarget(name: "SSEBenchTests", dependencies: ["sse-bench", "sse-fanout-bench", "SSETestSupport"]),
        .testTarget(
            name: "SSEClientTests",
            dependencies: ["SSEClient", "ServerSentEvents", "SSETestSupport"],
            exclude: ["Servers"]  // Python and Node servers the tests start as subprocesses
        ),
    ],
    swiftLanguageModes: [.v6]
)

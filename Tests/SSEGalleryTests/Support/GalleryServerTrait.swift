import Foundation
import SSETestSupport
import Testing

/// Tests/SSEGalleryTests/servers/: the gallery server and the third-party peer apps, started from there.
let serversDirectory = RepositoryFiles.url("Tests/SSEGalleryTests/servers")

/// The gallery server (servers/gallery_server.py), started once around the whole gallery suite.
enum Gallery {
    @TaskLocal static var server: ServerProcess?

    static func startServer() async throws -> ServerProcess {
        try await ServerProcess.start(
            name: "gallery",
            ["python3", serversDirectory.appendingPathComponent("gallery_server.py").path, "--port", "0"],
            directory: serversDirectory
        )
    }

    /// The running gallery server; fails the test when the suite trait did not start one.
    static func running() throws -> ServerProcess {
        try #require(server, "the gallery server is started by the GalleryServer suite trait")
    }
}

/// Starts the gallery server once for the suite it is attached to, and stops it (by PID) when the suite ends.
struct GalleryServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await Gallery.startServer()
        print("gallery server: python3 servers/gallery_server.py, PID \(server.pid), port \(server.port)")
        defer { server.stop() }
        try await Gallery.$server.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == GalleryServerTrait {
    /// Runs the suite with the gallery server started once around it.
    static var galleryServer: Self { Self() }
}

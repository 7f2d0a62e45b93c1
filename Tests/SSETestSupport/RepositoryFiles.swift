import Foundation

/// Files of this repository, for tests: the one place that knows where the checkout is.
///
/// The root is found from this file's own path (`Tests/SSETestSupport/RepositoryFiles.swift`), so tests read the
/// checkout they were built from, whatever the working directory, and nothing outside it.
public enum RepositoryFiles {
    /// The repository root (the folder holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SSETestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository

    /// The repository's `fixtures/` folder.
    public static let fixtures: URL = root.appendingPathComponent("fixtures")

    /// A file or folder given by its path from the repository root (`Tests/SSEClientTests/Servers`).
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A file or folder of `fixtures/` given by its path in there (`nest/handlers.json`).
    public static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    /// The bytes of a file of `fixtures/`.
    public static func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixture(relativePath)))
    }

    /// The UTF-8 text of a file of `fixtures/`.
    public static func fixtureText(_ relativePath: String) throws -> String {
        try String(contentsOf: fixture(relativePath), encoding: .utf8)
    }
}

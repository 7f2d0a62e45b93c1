import Foundation

/// Files of the repository's `fixtures/` folder.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SSEReferenceServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// A Nest capture from `fixtures/nest/`.
    static func nestCapture(_ name: String) throws -> HTTPWire {
        try HTTPWire(parsing: bytes("nest/\(name).raw"))
    }
}

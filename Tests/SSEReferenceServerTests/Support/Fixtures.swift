import Foundation
import SSETestSupport

/// Files of the repository's `fixtures/` folder (found by ``SSETestSupport/RepositoryFiles``).
enum Fixtures {
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        try RepositoryFiles.fixtureBytes(relativePath)
    }

    /// A Nest capture from `fixtures/nest/`.
    static func nestCapture(_ name: String) throws -> HTTPWire {
        try HTTPWire(parsing: bytes("nest/\(name).raw"))
    }
}

import Foundation
import SSETestSupport

/// A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` command in a new temporary folder.
struct TestCertificate {
    let directory: URL
    var certificate: String { directory.appendingPathComponent("cert.pem").path }
    var key: String { directory.appendingPathComponent("key.pem").path }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(name: String = "127.0.0.1") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sse-client-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let status: Int32
        do {
            let process = try ChildProcess([
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
                "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:\(name)",
            ])
            status = try process.wait(timeout: 60)
        } catch {
            throw Failure(description: "could not run openssl (scripts/bootstrap installs it): \(error)")
        }
        guard status == 0 else {
            throw Failure(description: "openssl req failed with status \(status)")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

import ArgumentParser
import Foundation
import SSEClient

/// `--method`, `--data`, `--data-file`: the passive probes' request, for fetch-style streams.
extension RunOptions {
    /// The method sent: `--method` as given, or POST when a body is given without one (as `curl --data` does).
    var requestMethod: String { method ?? (data != nil || dataFile != nil ? "POST" : "GET") }

    /// The body sent: `--data`'s UTF-8 bytes or `--data-file`'s bytes; nil when neither is given.
    func requestBody() throws -> [UInt8]? {
        if let data { return Array(data.utf8) }
        if let dataFile {
            guard let contents = FileManager.default.contents(atPath: dataFile) else {
                throw ValidationError("--data-file: cannot read \(dataFile)")
            }
            return Array(contents)
        }
        return nil
    }

    /// Usage errors of the request options.
    func validateRequest() throws {
        if let method {
            do {
                try EventSource.validate(method: method)
            } catch {
                throw ValidationError("--method \(method.debugDescription): \(error)")
            }
        }
        if method?.uppercased() == "GET", data != nil || dataFile != nil {
            // fetch throws a TypeError for a GET with a body; no fetch-based client can send one.
            throw ValidationError("--method GET cannot carry --data or --data-file: fetch refuses a body on GET")
        }
        if data != nil && dataFile != nil {
            throw ValidationError("--data and --data-file cannot both be given: the request has one body")
        }
        if let dataFile {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataFile, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isReadableFile(atPath: dataFile)
            else {
                throw ValidationError("--data-file: cannot read \(dataFile)")
            }
        }
        if method != nil || data != nil || dataFile != nil, target == nil {
            throw ValidationError(
                "--method, --data and --data-file apply to the passive probes: give --target (scenarios are GET)"
            )
        }
    }
}

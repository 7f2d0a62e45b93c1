#if canImport(Glibc)
import Glibc
#endif

/// Writes a report file with plain POSIX calls, so a failure has a path and a reason (`permission denied`),
/// not a Foundation error domain. The path `-` is standard output.
enum ReportFile {
    /// A report that could not be written.
    struct Failure: Error, CustomStringConvertible {
        /// The option that named the path (`--junit`, `--json`, `transcripts`...).
        var option: String
        var path: String
        var reason: String
        var description: String { "could not write \(option) \(path): \(reason)" }
    }

    /// Writes `text` to `path` (creating its directory), or to standard output for `-`.
    static func write(_ text: String, to path: String, option: String) throws(Failure) {
        if path == "-" {
            Console.out(text.hasSuffix("\n") ? text : text + "\n")
            return
        }
        let directory = parent(of: path)
        if !directory.isEmpty {
            do { try makeDirectories(directory) } catch {
                throw Failure(option: option, path: path, reason: error.reason)
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(option: option, path: path, reason: reason(errno)) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw Failure(option: option, path: path, reason: reason(code))
            }
            bytes = bytes.dropFirst(written)
        }
        guard close(fd) == 0 else { throw Failure(option: option, path: path, reason: reason(errno)) }
    }

    struct DirectoryError: Error { var reason: String }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(DirectoryError) {
        var isDirectory = stat()
        if stat(path, &isDirectory) == 0 {
            if isDirectory.st_mode & S_IFMT == S_IFDIR { return }
            throw DirectoryError(reason: "\(path) is not a directory")
        }
        let up = parent(of: path)
        if !up.isEmpty && up != path { try makeDirectories(up) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw DirectoryError(reason: "cannot create directory \(path): \(reason(errno))")
        }
    }

    /// Everything before the last `/` (empty for a bare name; `/` for a file at the root).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `strerror`, lowercased as in "permission denied".
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

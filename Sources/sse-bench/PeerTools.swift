import Foundation

/// The programs `sse-bench compare` runs next to our parser: the Python of .venv with scripts/parse-peers.py, and
/// `wc`. Each is checked before the first round, so a missing one is named at once.
struct PeerTools {
    var python: String
    var script: String
    var wc: String

    /// What parse-peers.py printed.
    struct PythonResult: Decodable {
        var peer: String
        var version: String
        var events: Int
        var seconds: Double
    }

    /// Finds the tools: `--python` and `--script` when given, else the repository's (found from the working
    /// directory or this executable's path, the folder holding scripts/parse-peers.py), and `wc` on PATH.
    static func locate(python: String?, script: String?) throws -> PeerTools {
        let root = repositoryRoot()
        let script = script ?? root.map { $0 + "/scripts/parse-peers.py" }
        guard let script, FileManager.default.fileExists(atPath: script) else {
            throw BenchError(
                "scripts/parse-peers.py not found (run from the repository, or pass --script PATH)"
            )
        }
        let python = python ?? root.map { $0 + "/.venv/bin/python" } ?? ".venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("\(python) not found: run scripts/python-peers (it installs httpx-sse and sseclient-py)")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard
            let wc = path.split(separator: ":").map({ $0 + "/wc" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw BenchError("wc not found on PATH (coreutils)") }
        let tools = PeerTools(python: python, script: script, wc: wc)
        let check = try tools.capture(python, ["-c", "import httpx, httpx_sse, sseclient"])
        guard check.status == 0 else {
            throw BenchError(
                "\(python) cannot import httpx-sse and sseclient-py: run scripts/python-peers\n\(check.stderr)"
            )
        }
        return tools
    }

    static func repositoryRoot() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            candidates.append(url.path)
            url.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/scripts/parse-peers.py") }
    }

    /// Runs one PyPI peer over the file; its own clock (parse-peers.py) leaves out interpreter start-up.
    func runPython(peer: String, file: String, chunk: Int) throws -> PythonResult {
        let result = try capture(python, [script, peer, file, String(chunk)])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last else {
            throw BenchError("parse-peers.py \(peer) failed (exit \(result.status)): \(result.stderr)")
        }
        do {
            return try JSONDecoder().decode(PythonResult.self, from: Data(line.utf8))
        } catch {
            throw BenchError("parse-peers.py \(peer) printed \(line)")
        }
    }

    /// `wc -l` on the file given `passes` times; the wall time of the whole process, and the total line count.
    func runWC(file: String, passes: Int) throws -> (Double, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try capture(wc, ["-l"] + Array(repeating: file, count: passes))
        let elapsed = clock.now - start
        guard result.status == 0 else { throw BenchError("wc -l failed: \(result.stderr)") }
        // One line per file, then "total" when there are several: the first figure of each file line.
        let lines = result.stdout.split(separator: "\n").prefix(passes).compactMap {
            Int($0.split(separator: " ").first ?? "")
        }
        guard lines.count == passes else { throw BenchError("wc -l printed \(result.stdout)") }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (seconds, lines.reduce(0, +))
    }

    /// Runs a program to completion, capturing its output.
    func capture(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes hold little (a line, or an error), so reading one to its end cannot block the other.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }
}

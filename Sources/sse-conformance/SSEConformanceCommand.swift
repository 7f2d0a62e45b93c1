import ArgumentParser
import Foundation
import SSEConformance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sse-conformance`: tests a Server-Sent Events server the way a browser's EventSource experiences it.
@main
struct SSEConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sse-conformance",
        abstract: "Test a Server-Sent Events server against the WHATWG EventSource rules (and NestJS parity).",
        discussion: """
            With no --target, starts the built-in NestJS-compatible reference server on a free loopback port and \
            tests it with every scenario (the out-of-the-box run). Reports go to reports/junit.xml (JUnit), \
            reports/report.html (HTML, with a delivery timeline per connection) and, with --json, to a JSON file.

            \(RunOptions.modesHelp)

            Exit codes: 0 conformant; 1 a check failed (or warned under --strict, or a baseline entry now \
            passes); 2 nothing could be judged, a check errored or the deadline was reached, the target was \
            unreachable or answered 401/403/404/405/407/410, --serve-command's port was taken or its server \
            exited, a report could not be written, or the usage was wrong; 130 (SIGINT) or 143 (SIGTERM) \
            interrupted: the reports are written with the unfinished checks as errors (a second signal exits at \
            once).
            """,
        version: ToolVersion.current,
        subcommands: [RunCommand.self, ListCommand.self, ServeCommand.self, ScenariosCommand.self]
    )

    @OptionGroup var options: RunOptions

    func run() async throws {
        try await options.execute()
    }

    /// Parses and runs; maps argument-parser's own usage exit (64) onto 2, as every other "could not test" exit.
    static func main() async {
        do {
            var command = try CommandRouting.parse(Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            // A run's own exit code (1, 2, or 128 + a signal): as is.
            Glibc.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Glibc.exit(0)
            }
            if !message.isEmpty { Console.error(message) }
            Glibc.exit(code.rawValue == 1 ? 1 : 2)
        }
    }
}

/// The tool's version, shown by `--version` and written into every report.
enum ToolVersion {
    static let current = "0.1.0"
}

/// stderr and stdout without Foundation's buffering surprises.
enum Console {
    static func error(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func out(_ text: String) {
        write(1, text)
    }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Whether fd is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The width to wrap at on `fd`: on a terminal, COLUMNS if set, else the terminal's own, else 80; not on a
    /// terminal, none (logs and files keep whole lines).
    static func width(_ fd: Int32) -> Int? {
        guard isTerminal(fd) else { return nil }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return columns
        }
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

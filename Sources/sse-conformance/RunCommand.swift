import ArgumentParser
import Foundation
import SSEClient
import SSEConformance
import SSEReporting

/// `sse-conformance run`: the main job, also what `sse-conformance` with no subcommand does.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the conformance checks (what sse-conformance does without a subcommand).",
        discussion: RunOptions.modesHelp
    )

    @OptionGroup var options: RunOptions

    func run() async throws {
        try await options.execute()
    }
}

/// The options of a run, shared by the root command and `run`.
struct RunOptions: ParsableArguments {
    static let modesHelp = """
        Passive mode (--target URL): listens to what the endpoint emits, per probe until --events events or \
        --listen seconds, reconnects with the last id, opens concurrent clients, and judges what it saw; what \
        the stream never exercised is skipped with the reason. Scenario mode (--scenarios BASEURL, always for \
        the built-in server): runs the conformance scenarios (sse-conformance scenarios lists them) and \
        compares the dispatches with the declared ones.
        """

    // MARK: Target

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SSE endpoint to test (passive mode); a bare URL argument is taken as --target. Without it, the built-in reference server is started and tested.",
            valueName: "url"
        )
    )
    var target: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Start this shell command as the target server (own process group), wait until --target answers, test, then stop it (TERM, then KILL). Its output is kept in the report.",
            valueName: "command"
        )
    )
    var serveCommand: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Seconds to wait for --serve-command's server to answer.", valueName: "seconds")
    )
    var serveTimeout: Double = 60

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Base URL of a server that mounts the conformance scenarios (scenario mode).",
            valueName: "baseurl"
        )
    )
    var scenarios: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Which checks apply: spec (WHATWG only; default with --target) or nestjs (adds NestJS parity; default for the built-in server).",
            valueName: "profile"
        )
    )
    var profile: Profile?

    // MARK: Selection

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run only checks whose id matches (glob, or a group name like framing). Repeatable.",
            valueName: "glob"
        )
    )
    var only: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Skip checks whose id matches (glob or group). Repeatable.", valueName: "glob")
    )
    var skip: [String] = []

    @Flag(name: .long, help: "Treat SHOULD violations as failures (exit 1) instead of warnings.")
    var strict = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A baseline file of check ids (one per line, # comments) expected to fail: they are reported as skipped; one that passes fails the run.",
            valueName: "file"
        )
    )
    var expectedFailures: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Write the ids that failed in this run to a baseline file.", valueName: "file")
    )
    var writeExpectedFailures: String?

    // MARK: Probing

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Passive: stop listening after this many events (default 5; a fetch-style request: the whole answer)...",
            valueName: "n"
        )
    )
    var events: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("...or after this many seconds, whichever comes first.", valueName: "seconds")
    )
    var listen: Double = 6

    @Option(name: .long, help: ArgumentHelp("Simultaneous clients for delivery/concurrent-clients.", valueName: "n"))
    var clients: Int = 3

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Timeout per check, in seconds, counted after the passive probes' listening (3 x --listen + 5 s).",
            valueName: "seconds"
        )
    )
    var timeout: Double = 30

    @Option(name: .long, help: ArgumentHelp("Deadline for the whole run, in seconds.", valueName: "seconds"))
    var deadline: Double = 300

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Longest line or event accepted, in bytes; longer ones are reported and their block discarded.",
            valueName: "bytes"
        )
    )
    var maxLine: Int = 1 << 20

    // MARK: Transport

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Extra request header, 'Name: value' (e.g. Authorization). Repeatable. Values are redacted in every report.",
            valueName: "header"
        )
    )
    var header: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Request method of the passive probes (default GET, or POST with --data). Another method than GET, or a body, makes a fetch-style request (LLM streaming APIs, MCP servers).",
            valueName: "method"
        )
    )
    var method: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Request body of the passive probes, sent on every request (reconnections too); give its type with --header 'Content-Type: ...'. Implies POST unless --method says otherwise.",
            valueName: "text"
        )
    )
    var data: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Like --data, with the body read from a file (bytes as they are).", valueName: "path")
    )
    var dataFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also redact this query parameter's value (besides token, access_token, api_key, key, sig, password, secret, session and the like). Repeatable.",
            valueName: "name"
        )
    )
    var redactParam: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Send this Origin and check Access-Control-Allow-Origin (enables http/cors).",
            valueName: "origin"
        )
    )
    var origin: String?

    @Flag(name: .long, help: "Do not verify TLS certificates.")
    var insecure = false

    @Option(
        name: .long,
        help: ArgumentHelp("CA certificates (PEM) to trust instead of the system store.", valueName: "file")
    )
    var cacert: String?

    @Option(name: .long, help: ArgumentHelp("Client certificate (PEM) for mutual TLS.", valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("Private key (PEM) of --cert.", valueName: "file"))
    var key: String?

    @Flag(
        name: .long,
        help:
            "Use HTTP/2 (ALPN over TLS, prior knowledge for http://). Connections are not shared where a check needs separate ones."
    )
    var http2 = false

    // MARK: Output

    @Option(
        name: .long,
        help: ArgumentHelp(
            "JUnit XML report path ('-': standard output, the console then goes to standard error).",
            valueName: "path"
        )
    )
    var junit: String = "reports/junit.xml"

    @Option(
        name: .long,
        help: ArgumentHelp("Also write a JSON report here ('-': standard output).", valueName: "path")
    )
    var json: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "HTML report path: checks, and a delivery timeline per connection ('-': standard output). Default: report.html beside the JUnit file.",
            valueName: "path"
        )
    )
    var html: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How a warning is written in JUnit: pass (a passing case, WARNING: in system-out), skipped, or failure (type=\"warning\"), for CI views that show only failures.",
            valueName: "pass|skipped|failure"
        )
    )
    var junitWarnings: JUnitReporter.Warnings = .pass

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colour in the console: auto (on a terminal; FORCE_COLOR=1 forces it, NO_COLOR turns it off), always, or never.",
            valueName: "auto|always|never"
        )
    )
    var color: ColorChoice = .auto

    @Flag(name: .long, help: "The same as --color never.")
    var noColor = false

    @Flag(
        name: .shortAndLong,
        help: "Show evidence for passing checks, and a line per finished connection on a terminal too."
    )
    var verbose = false

    @Flag(
        name: .long,
        help:
            "Print the primary connection's body to standard error as it arrives, a line per stream line, escaped, with arrival times and offsets."
    )
    var dump = false

    // MARK: Validation

    func validate() throws {
        if let target { try Self.validateURL(target, option: "--target") }
        if let scenarios { try Self.validateURL(scenarios, option: "--scenarios") }
        if serveCommand != nil && effectiveTarget == nil {
            throw ValidationError("--serve-command needs --target: the URL the started server will answer at")
        }
        guard events ?? 1 >= 1 else { throw ValidationError("--events must be at least 1") }
        guard listen > 0 else { throw ValidationError("--listen must be positive") }
        guard (1...1000).contains(clients) else { throw ValidationError("--clients must be between 1 and 1000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard deadline > 0 else { throw ValidationError("--deadline must be positive") }
        guard serveTimeout > 0 else { throw ValidationError("--serve-timeout must be positive") }
        guard maxLine >= 64 else { throw ValidationError("--max-line must be at least 64 bytes") }
        for value in header where Self.parseHeader(value) == nil {
            throw ValidationError("--header \(value.debugDescription) is not 'Name: value'")
        }
        if key != nil && cert == nil { throw ValidationError("--key needs --cert") }
        try validateRequest()
        if junit == "-" && json == "-" {
            throw ValidationError("--junit - and --json - cannot both use standard output")
        }
        if html == "-" && (junit == "-" || json == "-") {
            throw ValidationError("--html - cannot share standard output with --junit - or --json -")
        }
        for name in redactParam where name.isEmpty { throw ValidationError("--redact-param needs a parameter name") }
        for (option, file) in [
            ("--cacert", cacert), ("--cert", cert), ("--key", key), ("--expected-failures", expectedFailures),
        ] {
            if let file, !FileManager.default.isReadableFile(atPath: file) {
                throw ValidationError("\(option): cannot read \(file)")
            }
        }
        let unmatched = Catalogue.unmatchedGlobs(only + skip)
        if !unmatched.isEmpty {
            throw ValidationError(
                "no check id matches \(unmatched.map { $0.debugDescription }.joined(separator: ", ")) (see 'sse-conformance list')"
            )
        }
        if let expectedFailures {
            _ = try Self.readBaseline(expectedFailures)
        }
        if let problem = selectionProblem() { throw ValidationError(problem) }
        if dump && effectiveTarget == nil && scenarios != nil {
            throw ValidationError("--dump shows the primary connection of a passive run: it needs --target URL")
        }
        if noColor && color == .always { throw ValidationError("--no-color and --color always contradict each other") }
    }

    static func validateURL(_ text: String, option: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw ValidationError("\(option) \(text.debugDescription) is not an http:// or https:// URL")
        }
    }

    static func parseHeader(_ text: String) -> HTTPHeaderField? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else { return nil }
        return HTTPHeaderField(name: name, value: value)
    }

    /// Reads a baseline file: one check id per line (a reason may follow `#`), `#` comments, blank lines ignored,
    /// `# options: ...` recording the options it was written under. Unknown ids are a usage error.
    static func readBaseline(_ path: String) throws -> Baseline {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        do {
            return try Baseline(parsing: text)
        } catch {
            throw ValidationError("\(path):\(error.description)")
        }
    }

    func execute() async throws {
        let code = await RunSession(options: self).run()
        if code != 0 { throw ExitCode(code) }
    }
}

extension Profile: ExpressibleByArgument {}

/// `--color`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension JUnitReporter.Warnings: ExpressibleByArgument {}

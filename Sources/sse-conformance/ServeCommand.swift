import ArgumentParser
import SSEReferenceServer

/// `sse-conformance serve`: the reference server on its own, until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the NestJS-compatible reference server (every scenario and the stats endpoint) until SIGINT or SIGTERM.",
        discussion: """
            Scenario paths are relative to the printed base URL (the NestJS sample 28-sse route is at /sse). Test it \
            from another shell with: sse-conformance --target BASE/sse --scenarios BASE --profile nestjs
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to bind.", valueName: "host"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Port to bind (0 picks a free one).", valueName: "port"))
    var port: Int = 3000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        do {
            try await ReferenceServer.runUntilSignalled(.init(host: host, port: port)) { base in
                Console.error(
                    "sse-conformance: serving the reference server at \(base) (sample route: \(base)sse); Ctrl-C stops it"
                )
            }
        } catch {
            Console.error("sse-conformance serve: \(error)")
            throw ExitCode(2)
        }
        Console.error("sse-conformance: stopped")
    }
}

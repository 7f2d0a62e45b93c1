import SSEReferenceServer

// Placeholder until the load client lands: `sse-fanout-bench serve [port]` runs the reference server.
ReferenceServer.installEventLoopExecutor()
let arguments = CommandLine.arguments
if arguments.count >= 2, arguments[1] == "serve" {
    let port = arguments.count >= 3 ? Int(arguments[2]) ?? 0 : 0
    try await ReferenceServer.runUntilSignalled(.init(port: port)) { url in print("serving \(url)") }
}

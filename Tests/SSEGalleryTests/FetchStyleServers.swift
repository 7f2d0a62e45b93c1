import Foundation
import SSEClient
import SSEConformance
import SSETestSupport
import Testing

extension GalleryTests {
    /// Fetch-style streams from real PyPI peers: an OpenAI-style chat endpoint written on FastAPI, and the MCP
    /// Python SDK serving Streamable HTTP. Each is tested with the request its clients send (a JSON POST).
    @Suite("Fetch-style streams: an LLM endpoint on FastAPI, an MCP server")
    struct FetchStyle {
        static let chatRequest =
            #"{"model":"peer","messages":[{"role":"user","content":"Say hello"}],"stream":true}"#
        static let initialize =
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"sse-conformance","version":"1"}}}"#

        /// A run with the given request, reading each answer to its end (as the CLI does for fetch-style runs).
        static func run(_ url: String, body: String, headers: [HTTPHeaderField]) async -> SuiteRun {
            await SuiteRun.run(target: url, scenarios: nil, profile: .spec) { configuration in
                configuration.method = "POST"
                configuration.body = Array(body.utf8)
                configuration.headers = headers
                configuration.events = Int.max
                configuration.listen = 10
            }
        }

        static let json = [HTTPHeaderField(name: "Content-Type", value: "application/json")]

        static func verdicts(_ run: SuiteRun) -> String {
            run.results.map { result in
                var line = "\(result.status.rawValue.uppercased()) \(result.id)"
                if !result.message.isEmpty { line += ": \(result.message)" }
                if !result.evidence.summary.isEmpty { line += " [\(result.evidence.summary)]" }
                return line
            }.joined(separator: "\n")
        }

        @Test("An OpenAI-style streaming endpoint (FastAPI, POST JSON, data: [DONE]) is conformant")
        func llmEndpointIsConformant() async throws {
            let server = try await ThirdParty.start("llm_app")
            defer { server.stop() }
            let run = await Self.run(server.baseURL + "v1/chat/completions", body: Self.chatRequest, headers: Self.json)
            run.expectConformant()
            // The finite answer was judged to its end, and the thinking pause was not taken for buffering.
            for id in [
                "http/status-ok", "http/content-type", "framing/terminated-promptly", "framing/terminated-before-close",
                "close/server-complete-clean", "delivery/unbuffered", "delivery/concurrent-clients",
            ] {
                #expect(run[id]?.status == .pass, "\(id)\n\(run.summary)")
            }
            // A finished answer is not re-asked.
            for id in ["reconnect/served-again", "reconnect/last-event-id-accepted"] {
                #expect(run[id]?.status == .skip, "\(id)\n\(run.summary)")
                #expect(run[id]?.message.contains("not re-asked") == true, "\(id)\n\(run.summary)")
            }
            let primary = try #require(await run.probes?.primary())
            #expect(primary.requestHeaders.contains { $0.name.lowercased() == "content-type" })
            #expect(primary.headTime.map { $0 < 1.0 } == true, "the head comes before the thinking pause ends")
            #expect((primary.chunks.first?.time ?? 0) >= 1.0, "the first event comes after the thinking pause")
            print("fetch-style LLM endpoint:\n" + Self.verdicts(run))
        }

        @Test(
            "framing/terminated-before-close: an LLM endpoint that omits the blank line after data: [DONE] fails it, and only it"
        )
        func terminatedBeforeCloseLLMWithoutFinalBlankLine() async throws {
            let server = try await ThirdParty.start("llm_app")
            defer { server.stop() }
            let run = await Self.run(
                server.baseURL + "unterminated/v1/chat/completions",
                body: Self.chatRequest,
                headers: Self.json
            )
            let failed = run.results.filter { $0.status == .fail || $0.status == .error }.map(\.id)
            #expect(failed == ["framing/terminated-before-close"], "\(run.summary)")
            #expect(run["close/server-complete-clean"]?.status == .pass, "\(run.summary)")
            print("fetch-style LLM endpoint without the final blank line:\n" + Self.verdicts(run))
        }

        @Test("delivery/unbuffered: an LLM answer written in one burst after the thinking pause fails it")
        func unbufferedLLMBurstAfterThinking() async throws {
            let server = try await ThirdParty.start("llm_app")
            defer { server.stop() }
            let run = await Self.run(
                server.baseURL + "burst/v1/chat/completions",
                body: Self.chatRequest,
                headers: Self.json
            )
            let failed = run.results.filter { $0.status == .fail || $0.status == .error }.map(\.id)
            #expect(failed == ["delivery/unbuffered"], "\(run.summary)")
        }

        @Test("reconnect: a fetch-style stream we stopped is re-sent, body and all, with Last-Event-ID")
        func reconnectResendsTheRequestWithLastEventID() async throws {
            let server = try await ThirdParty.start("llm_app")
            defer { server.stop() }
            let body = #"{"job":"report"}"#
            let run = await SuiteRun.run(target: server.baseURL + "v1/progress", scenarios: nil, profile: .spec) {
                configuration in
                configuration.method = "POST"
                configuration.body = Array(body.utf8)
                configuration.headers = Self.json
                configuration.events = 3
            }
            run.expectConformant()
            let accepted = try #require(run["reconnect/last-event-id-accepted"])
            #expect(accepted.status == .pass, "\(run.summary)")
            #expect(
                accepted.evidence.summary.contains(
                    "re-sent the same POST request and its \(body.utf8.count)-byte body with Last-Event-ID: 3"
                ),
                "\(accepted.evidence.summary)"
            )
            // The server saw the body again on the reconnection, and resumed after id 3.
            let reconnection = try await #require(run.probes?.reconnection())
            let text = reconnection.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
            #expect(text.hasPrefix("id: 4\ndata: {\"n\": 4, \"body\": \(body.utf8.count)}"), "\(text.prefix(200))")
            #expect(
                run["reconnect/resumes-after-id"]?.message.contains("continued with id 4") == true,
                "\(run.summary)"
            )
            print("fetch-style stream re-sent: \(accepted.evidence.summary)")
        }

        @Test("The MCP Python SDK (Streamable HTTP): an initialize POST answered as an event stream is judged")
        func mcpInitializeIsJudged() async throws {
            let server = try await ThirdParty.start("mcp_app")
            defer { server.stop() }
            let run = await Self.run(
                server.baseURL + "mcp",
                body: Self.initialize,
                headers: Self.json + [HTTPHeaderField(name: "Accept", value: "application/json, text/event-stream")]
            )
            print("fetch-style MCP initialize:\n" + Self.verdicts(run))
            run.expectConformant()
            for id in [
                "http/status-ok", "http/content-type", "http/cache-control", "framing/terminated-before-close",
                "close/server-complete-clean", "delivery/concurrent-clients",
            ] {
                #expect(run[id]?.status == .pass, "\(id)\n\(run.summary)")
            }
            let primary = try #require(await run.probes?.primary())
            #expect(primary.requestHeader("Accept") == "application/json, text/event-stream")
            let text = primary.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
            #expect(text.contains(#""serverInfo":{"name":"sse-conformance-peer""#), "\(text)")
        }
    }
}

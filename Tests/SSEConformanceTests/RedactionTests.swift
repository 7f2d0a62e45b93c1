import Foundation
import SSEConformance
import SSETestSupport
import Testing

/// URL user information, secret query parameters and `--redact-param` names never reach an output.
@Suite(.serialized)
struct RedactionTests {
    @Test func urlsKeepEverythingButTheirSecrets() {
        let redactor = Redactor(parameters: ["Custom"])
        #expect(
            redactor.url("http://u:p@h:1/x?token=a&b=c&API_KEY=z&custom=q&my_session_id=s#frag")
                == "http://<redacted>@h:1/x?token=<redacted>&b=c&API_KEY=<redacted>&custom=<redacted>&my_session_id=<redacted>#frag"
        )
        #expect(redactor.url("https://h/x?interval=100&keyboard=1") == "https://h/x?interval=100&keyboard=1")
        #expect(redactor.header(name: "authorization", value: "Basic dTpw") == "<redacted>")
        #expect(redactor.header(name: "Location", value: "/next?sig=abc&page=2") == "/next?sig=<redacted>&page=2")
    }

    /// The scenario URLs carry the suite's own run token (`token=run-123-abort`): shown, while a user's `token` is not.
    @Test func theSuitesOwnRunTokenIsShown() {
        var redactor = Redactor()
        redactor.ownToken = "run-123"
        #expect(
            redactor.url("http://h/scenarios/never?interval=20&token=run-123-abort")
                == "http://h/scenarios/never?interval=20&token=run-123-abort"
        )
        #expect(redactor.url("http://h/stats?token=run-123") == "http://h/stats?token=run-123")
        #expect(redactor.url("http://h/sse?token=run-1234") == "http://h/sse?token=<redacted>")
        #expect(redactor.url("http://h/sse?token=s3cret&sig=run-123") == "http://h/sse?token=<redacted>&sig=run-123")
    }

    @Test func freeTextLosesTheLiteralSecrets() {
        let redactor = Redactor(
            urls: ["http://alice:hunter22@h/x?access_token=tok-1234"],
            headers: [("Authorization", "Bearer abcdef")]
        )
        let text = redactor.scrub("GET http://alice:hunter22@h/x?access_token=tok-1234; echoed tok-1234, abcdef")
        #expect(!text.contains("hunter22") && !text.contains("tok-1234") && !text.contains("abcdef"), "\(text)")
        // The Authorization header libcurl derives from the user information, base64 of "alice:hunter22".
        #expect(redactor.scrub("Basic YWxpY2U6aHVudGVyMjI=") == "Basic <redacted>")
    }

    /// A `--header` value that also occurs in the response head (here a word of its media type) is hidden in every
    /// report, but the checks judge the head as received: the run is conformant, not failed on `text/event-<redacted>`.
    @Test func aSecretInTheResponseHeadDoesNotChangeAVerdict() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("redaction-head")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--header", "X-Mode: stream", "--listen", "2",
            "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("0 failed"), "\(result.stdout)")
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Content-Type: text/event-&lt;redacted&gt;"), "the head is still redacted where shown")
    }

    @Test func aRunWithAURLPasswordAndATokenWritesNeitherAnywhere() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("redaction")
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let token = "tok-\(UUID().uuidString.prefix(8))"
        let custom = "cu-\(UUID().uuidString.prefix(8))"
        // /plain fails http/content-type, so transcripts are written too.
        let result = try await CLI.run([
            "--target",
            "http://alice:\(password)@127.0.0.1:\(server.port)/plain?token=\(token)&page=1&opaque=\(custom)",
            "--redact-param", "opaque", "--listen", "1", "--junit", directory.appendingPathComponent("junit.xml").path,
            "--json", directory.appendingPathComponent("report.json").path,
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
        #expect(files.contains("transcripts/http__content-type.txt"), "\(files)")
        #expect(files.contains("report.html"), "the HTML report is written beside the JUnit file: \(files)")
        var outputs = ["stdout": result.stdout, "stderr": result.stderr]
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
                continue
            }
            outputs[file] = String(decoding: data, as: UTF8.self)
        }
        let basic = Data("alice:\(password)".utf8).base64EncodedString()
        for (name, text) in outputs {
            for secret in [password, token, custom, basic] {
                #expect(!text.contains(secret), "\(name) leaks \(secret)")
            }
        }
        let transcript = outputs["transcripts/http__content-type.txt"] ?? ""
        #expect(transcript.contains("Authorization: <redacted>"))
        #expect(transcript.contains("?token=<redacted>&page=1&opaque=<redacted>"))
        #expect(transcript.contains("http://<redacted>@127.0.0.1"))
        // The HTML report draws every connection, heads and body included: secrets hidden there too.
        let html = outputs["report.html"] ?? ""
        #expect(html.contains("<svg class=\"timeline\""))
        #expect(html.contains("?token=&lt;redacted&gt;&amp;page=1&amp;opaque=&lt;redacted&gt;"))
        #expect(html.contains("Authorization: &lt;redacted&gt;"))
        // The JSON report lists the connections, with their URLs redacted.
        let json = outputs["report.json"] ?? ""
        #expect(json.contains("\"connections\""))
        #expect(json.contains("\"label\" : \"primary\""), "\(json.suffix(800))")
        #expect(json.contains("/plain?token=<redacted>&page=1&opaque=<redacted>"))
    }
}

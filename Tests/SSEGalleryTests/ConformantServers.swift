import Foundation
import SSEConformance
import SSEReferenceServer
import Testing

extension GalleryTests {
    /// Servers that keep every rule, some in unusual ways: the suite must raise no false alarm against them.
    @Suite("Conformant servers: no false alarms")
    struct Conformant {
        @Test("The embedded reference server passes everything (nestjs profile, passive and scenarios)")
        func referenceServer() async throws {
            let server = try await ReferenceServer.start(host: "127.0.0.1", port: 0)
            let base = server.baseURL
            let run = await SuiteRun.run(target: "\(base)sse?interval=100", scenarios: base, profile: .nestjs)
            try await server.shutdown()
            run.expectConformant()
        }

        @Test("The gallery's own scenario implementation, /scn/good/, passes everything (nestjs, with --origin)")
        func galleryGood() async throws {
            let server = try Gallery.running()
            let run = await SuiteRun.run(
                target: server.baseURL + "gallery/good?run=\(UUID().uuidString)",
                scenarios: server.baseURL + "scn/good/",
                profile: .nestjs,
                origin: "https://app.example"
            )
            run.expectConformant()
            // Every check judged something: nothing skipped (http/cors is on, the streams are long enough).
            #expect(run.results.allSatisfy { $0.status != .skip }, "skipped checks:\n\(run.summary)")
        }

        @Test(
            "Unusual but conformant streams",
            arguments: [
                ("crlf", [:]),
                (
                    "lone-cr",
                    [
                        "framing/line-endings":
                            "lone CR is legal, but the check flags it on purpose: many non-browser clients split lines on LF only"
                    ]
                ),
                ("bom", [:]),
                ("dribble", [:]),
                ("heartbeat", [:]),
                ("no-space", [:]),
                ("long-multiline", [:]),
                ("close-delimited", [:]),
            ] as [(String, [String: String])]
        )
        func unusual(_ variant: String, warnings: [String: String]) async throws {
            let server = try Gallery.running()
            let run = await SuiteRun.run(
                target: server.baseURL + "ok/\(variant)?run=\(UUID().uuidString)",
                scenarios: nil,
                profile: .spec
            )
            run.expectConformant(warnings: warnings)
            #expect(run["delivery/unbuffered"]?.status == .pass, "\(variant): pacing judged\n\(run.summary)")
        }

        @Test("Many concurrent clients (16) are all served")
        func manyClients() async throws {
            let server = try Gallery.running()
            let run = await SuiteRun.run(
                target: server.baseURL + "ok/many-clients?run=\(UUID().uuidString)",
                scenarios: nil,
                profile: .spec,
                clients: 16
            )
            run.expectConformant()
            #expect(run["delivery/concurrent-clients"]?.status == .pass)
        }
    }
}

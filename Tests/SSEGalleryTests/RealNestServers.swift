import Foundation
import SSEConformance
import SSEScenarios
import SSETestSupport
import Testing

extension GalleryTests {
    /// The manifest implemented as NestJS really writes it (servers/gallery_server.py: RealNest111Encoder, written
    /// from DESIGN.md's measured rules, not from the suite's NestModel), judged with the nestjs profile. Not a
    /// GalleryEntry: NestJS 11.1 is not "one check fails, nothing else", it is "the nestjs profile passes except
    /// where Nest loses events".
    @Suite("NestJS as it really is")
    struct RealNest {
        static let valuesLost =
            #"0 dispatch(es): 9 lost: events 1-4 (data "", "0", "false", "null"): written as "id: 1\n\n", "id: 2\n\n", "id: 3\n\n", "id: 4\n\n" with no data line: NestJS writes no data line for falsy data: send a non-empty string or an object; event 5 (data "42"): not in the stream: NestJS ends the stream when data is a number or boolean: send a string or an object; events 6-9 (data "true", "[1,2]", "{\"nested\":\"x\\ny\"}", "1.5"): not in the stream: the stream had ended at event 5"#

        @Test(
            "dispatch/expected-sequence: NestJS 11.1 (/scn/nest-11.1/) fails it once, for the values scenario's losses; no nest/* check warns, nothing else fails"
        )
        func nest111() async throws {
            let server = try Gallery.running()
            let run = await SuiteRun.run(target: nil, scenarios: server.baseURL + "scn/nest-11.1/", profile: .nestjs)
            for result in run.results {
                print("nest-11.1: \(result.status.rawValue.uppercased()) \(result.id) \(result.actual)")
            }
            let notPassing = run.results.filter { $0.status == .fail || $0.status == .error || $0.status == .warn }
            #expect(notPassing.map(\.id) == ["dispatch/expected-sequence"], "\(run.summary)")
            let sequence = try #require(run["dispatch/expected-sequence"])
            #expect(sequence.status == .fail)
            #expect(sequence.expected == "scenario values, connection 1: 9 dispatch(es) as declared")
            #expect(sequence.actual == Self.valuesLost)
            // The nest/* checks judged NestJS's own bytes, and passed on them.
            for id in Catalogue.all.map(\.id) where id.hasPrefix("nest/") {
                #expect(run[id]?.status == .pass, "\(id): \(run[id]?.status.rawValue ?? "not run")\n\(run.summary)")
            }
            #expect(
                run["nest/wire-identical"]?.evidence.summary == "13 scenario bodies byte-identical to Nest's encoding"
            )
            // Written from DESIGN.md's rules, and the same bytes as real NestJS 11.1.19 where there is a capture.
            #expect(try await Self.injectBody(run) == (try Self.captureBody("nest11.1.19_probe_inject.raw")))
        }

        @Test(
            "framing/no-field-injection: NestJS 11.0.5's inject bytes (/scn/injection-nest-11.0.5/) are the 11.0.5 capture's, and fail it"
        )
        func nest1105Injection() async throws {
            let server = try Gallery.running()
            let run = await SuiteRun.run(
                target: nil,
                scenarios: server.baseURL + "scn/injection-nest-11.0.5/",
                profile: .nestjs
            )
            #expect(run["framing/no-field-injection"]?.status == .fail, "\(run.summary)")
            let body = try await Self.injectBody(run)
            #expect(body == (try Self.captureBody("nest11.0.5_probe_inject.raw")))
        }

        static func injectBody(_ run: SuiteRun) async throws -> [UInt8] {
            let runs = try await #require(run.probes).scenarioRuns()
            let inject = try #require(runs.first { $0.scenario.name == Scenario.Name.inject })
            return try #require(inject.exchanges.first).body
        }

        /// A capture's body (fixtures/nest/, as curl saved it): the chunked framing removed.
        static func captureBody(_ name: String) throws -> [UInt8] {
            let raw = try RepositoryFiles.fixtureBytes("nest/" + name)
            let crlf: [UInt8] = [13, 10]
            var index = try #require((0..<raw.count - 3).first { Array(raw[$0..<$0 + 4]) == crlf + crlf }) + 4
            var body: [UInt8] = []
            while let lineEnd = (index..<raw.count - 1).first(where: { Array(raw[$0...$0 + 1]) == crlf }),
                let size = Int(String(decoding: raw[index..<lineEnd], as: UTF8.self), radix: 16), size > 0
            {
                body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
                index = lineEnd + 2 + size + 2
            }
            return body
        }
    }
}

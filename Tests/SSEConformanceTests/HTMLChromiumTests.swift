import Foundation
import SSEScenarios
import SSETestSupport
import Testing

@testable import SSEConformance

/// The HTML report as a browser shows it: headless Chromium renders the default run's report and a failing run's;
/// each screenshot is not blank, and the rendered DOM holds every check id of the run and exactly one timeline per
/// connection (and no script element, whatever the target sent). Screenshots stay in
/// `$TMPDIR/sse-html-screenshots/` to look at.
@Suite(.serialized)
struct HTMLChromiumTests {
    /// The DOM's `data-check` ids, timelines and connection labels.
    struct Rendered {
        var checks: [String]
        var timelines: Int
        var labels: [String]
        var scripts: Int

        init(_ dom: String) {
            checks = Self.values(of: "data-check", in: dom)
            timelines = dom.components(separatedBy: "<svg class=\"timeline\"").count - 1
            labels = Self.values(of: "data-label", in: dom)
            scripts = dom.lowercased().components(separatedBy: "<script").count - 1
        }

        static func values(of attribute: String, in dom: String) -> [String] {
            dom.components(separatedBy: " \(attribute)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
    }

    /// The screenshot (the header, the checks, one line each unless they failed, warned or errored, and the first
    /// timelines) is far from blank: a blank page is one colour.
    static func expectNotBlank(_ file: URL, name: String) async throws {
        let shot = try await Chromium.screenshot(file, name: name, width: 1280, height: 3000)
        #expect(shot.width == 1280 && shot.height == 3000, "\(shot)")
        #expect(shot.nonBackgroundFraction > 0.2, "\(shot.path): \(shot.nonBackground) non-background pixels")
        #expect(shot.colours > 50, "\(shot.path): \(shot.colours) colours")
    }

    /// The measure can fail: an empty page is all background.
    @Test func aBlankPageMeasuresBlank() async throws {
        let directory = RunProcesses.directory("html-blank")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: file)
        let shot = try await Chromium.screenshot(file, name: "blank", width: 1280, height: 3000)
        #expect(shot.nonBackground == 0 && shot.colours == 1, "\(shot)")
    }

    @Test func failingRunRendersInChromium() async throws {
        let directory = RunProcesses.directory("html-failing")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("report.html")
        try Data(HTMLReporterTests.failingRun.utf8).write(to: file)
        try await Self.expectNotBlank(file, name: "failing-run")
        let dom = try await Chromium.dom(file)
        let rendered = Rendered(dom)
        #expect(rendered.checks == ReportFixtures.report.results.map(\.id))
        #expect(rendered.timelines == ReportFixtures.connectionCount)
        #expect(rendered.labels == ReportFixtures.probes.flatMap(\.exchanges).map(\.label))
        #expect(rendered.scripts == 0, "the target's <script> stayed text")
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    /// The out-of-the-box run writes `report.html` beside its JUnit file; every connection its probes made has a
    /// timeline: the primary and its reconnection, the concurrent clients, each declared connection of each
    /// scenario of the bundled manifest, and the abort probe.
    @Test func defaultRunRendersInChromium() async throws {
        _ = try Chromium.executable
        let directory = RunProcesses.directory("html-default")
        let result = try await CLI.run([
            "--junit", directory.appendingPathComponent("junit.xml").path,
            "--json", directory.appendingPathComponent("report.json").path,
        ])
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        let file = directory.appendingPathComponent("report.html")
        #expect(FileManager.default.fileExists(atPath: file.path), "no report.html beside junit.xml")
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("report.json"))
        )
        let results = ((json as? [String: Any])?["report"] as? [String: Any])?["results"] as? [[String: Any]] ?? []
        let ids = results.compactMap { $0["id"] as? String }
        #expect(ids.count > 30, "\(ids.count) checks in the JSON report")

        try await Self.expectNotBlank(file, name: "default-run")
        let rendered = Rendered(try await Chromium.dom(file))
        #expect(rendered.checks == ids)
        let manifest = ScenarioManifest.bundled
        let clients = RunConfiguration().clients
        var expected = ["primary", "reconnection"] + (1...clients).map { "client \($0) of \(clients)" }
        for scenario in manifest.scenarios {
            expected += scenario.connections.indices.map { "scenario \(scenario.name) connection \($0 + 1)" }
        }
        expected.append("abort probe")
        #expect(rendered.labels.sorted() == expected.sorted())
        #expect(rendered.timelines == expected.count)
        #expect(rendered.scripts == 0)
    }
}

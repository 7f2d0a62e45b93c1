import SSEConformance

/// The JUnit XML report: valid against the Jenkins xunit schema (`junit-10.xsd`).
///
/// One `testsuite` per check group, one `testcase` per check with `classname` = group and `name` = the id
/// alone (so editing a summary never renames a test in CI history). A broken requirement is a `<failure>`, a
/// harness fault an `<error>`, a skip `<skipped message>`; a warning is a passing testcase whose `system-out`
/// starts with `WARNING:` (or, with ``Warnings/skipped`` or ``Warnings/failure``, a `<skipped>` or a
/// `<failure type="warning">` for CI views that show only those). A failure's `message` starts with what was
/// wrong (the actual), the rule after, since CI annotations show its first line. A check with a transcript
/// names it in `system-out`, also as a `[[ATTACHMENT|path]]` line (read by Jenkins and GitLab).
public enum JUnitReporter {
    /// How a warning is written (`--junit-warnings`).
    public enum Warnings: String, Sendable, CaseIterable {
        /// A passing testcase whose `system-out` starts with `WARNING:`.
        case pass
        /// A `<skipped>` testcase.
        case skipped
        /// A `<failure type="warning">` testcase.
        case failure
    }

    /// The report as an XML document; `transcripts` maps check ids to the transcript files written for them.
    public static func render(
        _ report: RunReport,
        warnings: Warnings = .pass,
        transcripts: [String: String] = [:]
    ) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let asFailure = warnings == .failure ? report.count(.warn) : 0
        let failures = report.count(.fail) + asFailure
        let errors = report.count(.error)
        xml += #"<testsuites name="sse-conformance" tests="\#(report.results.count)" failures="\#(failures)" "#
        xml += #"errors="\#(errors)" time="\#(seconds(report.duration))">"# + "\n"
        for group in report.groups {
            let results = group.results
            let suiteTime = results.reduce(0) { $0 + $1.duration }
            xml += "  <testsuite"
            xml += attribute("name", group.name)
            xml += attribute("tests", String(results.count))
            let warned = results.filter { $0.status == .warn }.count
            xml += attribute(
                "failures",
                String(results.filter { $0.status == .fail }.count + (warnings == .failure ? warned : 0))
            )
            xml += attribute("errors", String(results.filter { $0.status == .error }.count))
            xml += attribute(
                "skipped",
                String(results.filter { $0.status == .skip }.count + (warnings == .skipped ? warned : 0))
            )
            xml += attribute("time", seconds(suiteTime))
            xml += attribute("timestamp", report.timestamp)
            xml += attribute("hostname", report.hostname)
            xml += ">\n"
            xml += "    <properties>\n"
            for (name, value) in [
                ("target", report.target), ("profile", report.profile.rawValue),
                ("modes", report.modes.map(\.rawValue).joined(separator: ",")),
                ("strict", String(report.strict)), ("tool", "sse-conformance"), ("version", report.toolVersion),
            ] + (report.request.map { [("request", $0)] } ?? []) {
                xml += "      <property" + attribute("name", name) + attribute("value", value) + "/>\n"
            }
            xml += "    </properties>\n"
            for result in results {
                xml += testcase(result, warnings: warnings, transcript: transcripts[result.id])
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    static func testcase(_ result: CheckResult, warnings: Warnings = .pass, transcript: String? = nil) -> String {
        var xml = "    <testcase" + attribute("name", result.id) + attribute("classname", result.group)
        xml += attribute("time", seconds(result.duration)) + ">\n"
        let rule =
            "\(result.level.rawValue) \(result.reference.section): \"\(result.reference.sentence)\" \(result.reference.url)"
        switch result.status {
        case .fail:
            xml += "      <failure" + attribute("message", message(result)) + attribute("type", result.level.rawValue)
            xml += ">" + XMLText.content(body(result, rule: rule)) + "</failure>\n"
        case .error:
            xml += "      <error" + attribute("message", result.message) + attribute("type", "harness") + ">"
            xml += XMLText.content(body(result, rule: rule)) + "</error>\n"
        case .skip:
            xml += "      <skipped" + attribute("message", result.message) + "/>\n"
        case .warn where warnings == .failure:
            xml += "      <failure" + attribute("message", "WARNING: " + message(result)) + attribute("type", "warning")
            xml += ">" + XMLText.content(body(result, rule: rule)) + "</failure>\n"
        case .warn where warnings == .skipped:
            xml += "      <skipped" + attribute("message", "WARNING: " + message(result)) + "/>\n"
        case .warn, .pass, .info:
            break
        }
        var out = ""
        if result.status == .warn {
            out += "WARNING: \(result.summary)\nExpected: \(result.expected)\nActual: \(result.actual)\nRule: \(rule)\n"
        } else if result.status == .info, !result.message.isEmpty {
            out += "INFO: \(result.message)\n"
        } else if result.status == .pass, !result.message.isEmpty {
            out += "NOTE: \(result.message)\n"
        }
        if !result.evidence.summary.isEmpty { out += "Evidence: \(result.evidence.summary)\n" }
        if !result.evidence.excerpt.isEmpty { out += result.evidence.excerpt + "\n" }
        if let transcript {
            out += "Transcript: \(transcript)\n[[ATTACHMENT|\(transcript)]]\n"
        }
        if !out.isEmpty {
            xml += "      <system-out>" + XMLText.content(out) + "</system-out>\n"
        }
        xml += "    </testcase>\n"
        return xml
    }

    /// One line for CI annotations: what was wrong first, then what the rule wants and which rule it is.
    static func message(_ result: CheckResult) -> String {
        let rule = "\(result.level.rawValue) \(result.reference.section)"
        return "\(result.actual). Expected: \(result.expected). Rule: \(rule) (\(result.summary))"
    }

    static func body(_ result: CheckResult, rule: String) -> String {
        var text = ""
        if !result.expected.isEmpty { text += "Expected: \(result.expected)\n" }
        if !result.actual.isEmpty { text += "Actual: \(result.actual)\n" }
        if result.status == .error { text += "Harness: \(result.message)\n" }
        text += "Rule: \(rule)\n"
        if !result.evidence.summary.isEmpty { text += "Evidence: \(result.evidence.summary)\n" }
        if result.expectedFailure { text += "Listed in the expected-failures baseline.\n" }
        return text
    }

    static func attribute(_ name: String, _ value: String) -> String {
        " \(name)=\"\(XMLText.attribute(value))\""
    }

    /// Seconds with at most three decimals, as the schema's SUREFIRE_TIME pattern allows.
    static func seconds(_ value: Double) -> String {
        let millis = Int((max(0, value) * 1000).rounded())
        let fraction = millis % 1000
        let padded =
            String(fraction).count < 3
            ? String(repeating: "0", count: 3 - String(fraction).count) + String(fraction) : String(fraction)
        return "\(millis / 1000).\(padded)"
    }
}

import SSEClient
import Testing

@testable import SSEConformance

/// Evidence that shows the bytes in question, and skip reasons that say how to get a verdict (issue 14).
struct EvidenceTextTests {
    @Test func framingTerminatedBeforeCloseEvidenceQuotesThePendingBytes() async {
        // 9 bytes of a full event, then 21 bytes of one never terminated, one of them a control byte.
        let exchange = Wire.stream([(0, "data: a\n\ndata: tail \u{1B} pending\n")], end: .completed)
        let result = await judge("framing/terminated-before-close", PassiveCheckTests.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(
            result.evidence.summary
                == #"primary: 21 bytes pending at byte 9 when the response ended: "data: tail \x1B pending\n""#,
            "\(result.evidence.summary)"
        )
    }

    @Test(arguments: [
        (
            "http/content-type", "Content-Type", "text/plain; charset=utf-8 ",
            #"Content-Type: "text/plain; charset=utf-8 ""#
        ),
        ("http/cache-control", "Cache-Control", "max-age=60", #"Cache-Control: "max-age=60""#),
    ])
    func httpHeaderEvidenceQuotesTheValueAsReceived(
        _ id: String,
        _ name: String,
        _ value: String,
        _ shown: String
    )
        async
    {
        var headers = Wire.sseHeaders.filter { $0.name != name }
        headers.append(HTTPHeaderField(name: name, value: value))
        let exchange = Wire.stream([(0, "data: x\n\n")], headers: headers)
        let result = await judge(id, PassiveCheckTests.with(primary: exchange))
        #expect(result.status == .fail || result.status == .warn)
        #expect(result.evidence.summary.hasSuffix("; " + shown), "\(result.evidence.summary)")
        #expect(result.evidence.summary.hasPrefix("primary: HTTP/1.1 200"), "\(result.evidence.summary)")
    }

    @Test func httpContentTypeEvidenceSaysWhenTheHeaderIsAbsent() async {
        let exchange = Wire.stream([(0, "data: x\n\n")], headers: [])
        let result = await judge("http/content-type", PassiveCheckTests.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.evidence.summary.hasSuffix("; no Content-Type header"), "\(result.evidence.summary)")
    }

    @Test func deliveryUnbufferedSkipSaysToListenLongerOrUseScenarios() async {
        let exchange = Wire.stream([(0, "data: x\n\n")], end: .stoppedListening, endTime: 6)
        let result = await judge("delivery/unbuffered", PassiveCheckTests.with(primary: exchange))
        #expect(result.status == .skip)
        #expect(result.message.contains("--listen") && result.message.contains("--scenarios"), "\(result.message)")
    }

    @Test func reconnectLastEventIdAcceptedSkipNamesScenarios() async {
        let plain = Wire.stream([(0, "data: x\n\n")], end: .stoppedListening, endTime: 6)
        let probes = FakeProbes(primaryExchange: plain, reconnectionExchange: plain, clients: [plain])
        let result = await judge("reconnect/last-event-id-accepted", probes)
        #expect(result.status == .skip)
        #expect(result.message.contains("--scenarios"), "\(result.message)")
    }

    @Test func framingTerminatedBeforeCloseEndlessSkipSaysWhatGivesAVerdict() async {
        let result = await judge("framing/terminated-before-close", PassiveCheckTests.good)
        #expect(result.status == .skip)
        #expect(result.message.contains("--listen") && result.message.contains("--scenarios"), "\(result.message)")
    }

    @Test(arguments: ["close/no-content-stops", "framing/no-field-injection", "reconnect/retry-honored"])
    func aMissingScenarioSkipSaysHowToRunScenarios(_ id: String) async {
        let result = await judgeScenarios(id, FakeProbes())
        #expect(result.status == .skip, "\(id): \(result.status) \(result.message)")
        #expect(result.message.contains("--scenarios BASEURL"), "\(id): \(result.message)")
    }
}

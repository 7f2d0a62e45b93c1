import SSEClient
import Testing

@testable import SSEConformance

/// Checks on fetch-style streams (a POST with a body, as LLM APIs and MCP servers are read): the same framing,
/// end-of-stream and delivery rules; reconnection re-sends the request or, after a complete answer, skips.
struct FetchStyleCheckTests {
    static let body = Array(#"{"model":"m","stream":true}"#.utf8)

    /// An OpenAI-style answer: `thinking` seconds of nothing, then one chunk per `gap` seconds, then [DONE].
    static func answer(thinking: Double, gap: Double, done: String = "data: [DONE]\n\n") -> Exchange {
        var chunks: [(Double, String)] = (0..<6).map { index in
            (thinking + Double(index) * gap, "data: {\"choices\":[{\"delta\":{\"content\":\"t\(index)\"}}]}\n\n")
        }
        chunks.append((thinking + 6 * gap, done))
        return Wire.stream(chunks, end: .completed, endTime: thinking + 6 * gap + 0.01)
    }

    static func fetchStyle(_ configuration: inout RunConfiguration) {
        configuration.method = "POST"
        configuration.body = body
    }

    static func probes(primary: Exchange, reconnection: Exchange = Wire.goodPrimary) -> FakeProbes {
        FakeProbes(primaryExchange: primary, reconnectionExchange: reconnection, clients: [primary])
    }

    @Test("delivery/unbuffered: a 3 s thinking pause before the first event is not buffering")
    func unbufferedThinkingPauseIsNotBuffering() async {
        let result = await judge(
            "delivery/unbuffered",
            Self.probes(primary: Self.answer(thinking: 3, gap: 0.06)),
            configure: Self.fetchStyle
        )
        #expect(result.status == .pass, "\(result.actual) \(result.message)")
    }

    @Test("delivery/unbuffered: a thinking pause, then the first events together, then spread, is not buffering")
    func unbufferedThinkingPauseThenAFewTogether() async {
        let exchange = Wire.stream(
            [
                (2.5, "data: role\n\ndata: t0\n\ndata: t1\n\n"), (2.6, "data: t2\n\n"), (2.7, "data: t3\n\n"),
                (2.8, "data: [DONE]\n\n"),
            ],
            end: .completed,
            endTime: 2.81
        )
        let result = await judge("delivery/unbuffered", Self.probes(primary: exchange), configure: Self.fetchStyle)
        #expect(result.status == .pass, "\(result.actual) \(result.message)")
    }

    @Test("delivery/unbuffered: after a thinking pause, the whole answer in one burst is buffering")
    func unbufferedThinkingPauseThenOneBurstFails() async {
        let result = await judge(
            "delivery/unbuffered",
            Self.probes(primary: Self.answer(thinking: 3, gap: 0.001)),
            configure: Self.fetchStyle
        )
        #expect(result.status == .fail)
        #expect(result.actual.contains("nothing for 3000 ms, then all 7 events"), "\(result.actual)")
    }

    @Test("framing/terminated-before-close: data: [DONE] without its blank line fails, and only that")
    func terminatedBeforeCloseDoneWithoutBlankLine() async {
        let probes = Self.probes(primary: Self.answer(thinking: 1.2, gap: 0.05, done: "data: [DONE]\n"))
        let result = await judge("framing/terminated-before-close", probes, configure: Self.fetchStyle)
        #expect(result.status == .fail)
        #expect(result.actual.contains("[DONE]") || result.evidence.excerpt.contains("[DONE]"), "\(result)")
        for id in ["close/server-complete-clean", "framing/terminated-promptly", "delivery/unbuffered"] {
            let other = await judge(id, probes, configure: Self.fetchStyle)
            #expect(other.status == .pass, "\(id): \(other.status) \(other.actual) \(other.message)")
        }
    }

    @Test(
        "reconnect checks skip after a complete fetch-style answer: it is not re-asked",
        arguments: ["reconnect/served-again", "reconnect/last-event-id-accepted", "reconnect/resumes-after-id"]
    )
    func reconnectSkipsAfterACompleteAnswer(_ id: String) async {
        let result = await judge(
            id,
            Self.probes(primary: Self.answer(thinking: 1, gap: 0.05)),
            configure: Self.fetchStyle
        )
        #expect(result.status == .skip)
        #expect(result.message.contains("not re-asked"), "\(result.message)")
        #expect(result.message.contains("POST"), "\(result.message)")
    }

    @Test(
        "framing checks judge a finished fetch-style answer without asking for a reconnection",
        arguments: ["framing/utf8", "framing/line-endings", "framing/terminated-before-close", "framing/retry-digits"]
    )
    func framingJudgesWithoutAReconnection(_ id: String) async {
        // No reconnection prepared: asking for one would be an error.
        let probes = FakeProbes(primaryExchange: Self.answer(thinking: 1, gap: 0.05), clients: [])
        let result = await judge(id, probes, configure: Self.fetchStyle)
        #expect(result.status == .pass, "\(id): \(result.status) \(result.message)")
    }

    @Test("reconnect/served-again: a GET stream that ended is still reconnected to (unchanged)")
    func reconnectGETStillReconnects() async {
        let result = await judge("reconnect/served-again", Self.probes(primary: Self.answer(thinking: 1, gap: 0.05)))
        #expect(result.status == .pass)
        #expect(!result.evidence.summary.contains("re-sent"))
    }

    @Test("reconnect/last-event-id-accepted: a fetch-style stream cut short is re-sent with Last-Event-ID")
    func reconnectFetchStyleResendsWithLastEventID() async {
        let primary = Wire.stream([(0.1, "id: 5\ndata: a\n\n")], end: .broken("connection reset"), endTime: 0.2)
        let reconnection = Wire.stream(
            [(0.1, "id: 6\ndata: b\n\n")],
            label: "reconnection",
            requestHeaders: [HTTPHeaderField(name: "Last-Event-ID", value: "5")]
        )
        let probes = Self.probes(primary: primary, reconnection: reconnection)
        let result = await judge("reconnect/last-event-id-accepted", probes, configure: Self.fetchStyle)
        #expect(result.status == .pass)
        #expect(
            result.evidence.summary.contains(
                "re-sent the same POST request and its \(Self.body.count)-byte body with Last-Event-ID: 5"
            ),
            "\(result.evidence.summary)"
        )
    }

    @Test("every check states how it applies to a fetch-style request")
    func everyCheckStatesItsFetchStyleRule() {
        for check in Catalogue.all {
            #expect(!check.fetchStyle.reason.isEmpty, "\(check.id)")
            // Scenario-only checks never see the fetch-style request; passive reconnection checks re-send it.
            #expect((check.modes == [.scenarios]) == (check.fetchStyle.kind == .scenarioRequests), "\(check.id)")
            #expect(
                (check.group == "reconnect" && check.modes.contains(.passive)) == (check.fetchStyle.kind == .resends),
                "\(check.id)"
            )
        }
    }

    @Test func aContentTypeOrAcceptGivenWithHeaderIsNotTakenForASecret() {
        let redactor = Redactor(headers: [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
            ("Authorization", "Bearer sk-secret-123"),
        ])
        // The response's media type stays readable (http/content-type judges it), and so do JSON bodies.
        #expect(redactor.header(name: "Content-Type", value: "text/event-stream") == "text/event-stream")
        #expect(redactor.header(name: "Accept", value: "application/json") == "application/json")
        #expect(redactor.scrub(#"{"type":"application/json"}"#) == #"{"type":"application/json"}"#)
        #expect(redactor.header(name: "Authorization", value: "Bearer sk-secret-123") == Redactor.placeholder)
        #expect(redactor.scrub("key sk-secret-123 echoed") == "key \(Redactor.placeholder) echoed")
    }

    @Test func aResultCarriesItsFetchStyleRuleOnlyInAFetchStyleRun() async {
        let probes = Self.probes(primary: Self.answer(thinking: 1, gap: 0.05))
        #expect(await judge("framing/utf8", probes).fetchStyle == nil)
        let fetched = await judge("framing/utf8", probes, configure: Self.fetchStyle)
        #expect(fetched.fetchStyle == "unchanged: " + FetchStyleRule.parsing.reason)
    }

    @Test func fetchStyleRequestIsDescribed() {
        var configuration = RunConfiguration(target: "http://127.0.0.1:9/v1/chat/completions")
        #expect(configuration.fetchStyleRequest == nil)
        Self.fetchStyle(&configuration)
        #expect(configuration.fetchStyleRequest == "POST with a \(Self.body.count)-byte body (fetch-style)")
        configuration.body = nil
        configuration.method = "DELETE"
        #expect(configuration.fetchStyleRequest == "DELETE without a body (fetch-style)")
    }
}

import SSEClient
import Testing

@testable import SSEConformance

/// How wire bytes are shown in evidence and transcripts.
struct TranscriptTextTests {
    @Test func escapesEveryByteVisibly() {
        let bytes: [UInt8] = Array("a\r\n\t\"\\".utf8) + [0x00, 0x1B, 0x7F, 0xFF, 0xC3] + Array("é€😀\u{FEFF}".utf8)
        #expect(TranscriptText.escape(bytes) == #""a\r\n\t\"\\\x00\x1B\x7F\xFF\xC3é€😀\u{FEFF}""#)
    }

    @Test func transcriptsStayBoundedAndSayWhatTheyLeftOut() {
        let chunks = (0..<20_000).map {
            (Double($0) * 0.001, "data: event \($0) with some padding to make it longer\n\n")
        }
        let exchange = Wire.stream(chunks)
        let text = TranscriptText.transcript(exchange)
        #expect(text.utf8.count < 256 << 10)
        #expect(text.contains("chunk(s),"))
        #expect(text.contains("event 0 with"))
        #expect(text.contains("event 19999 with"))
    }

    @Test func transcriptsRedactNamedRequestHeaders() {
        let exchange = Wire.stream(
            [(0, "data: x\n\n")],
            requestHeaders: [
                HTTPHeaderField(name: "Authorization", value: "Bearer secret"),
                HTTPHeaderField(name: "Accept", value: "text/event-stream"),
            ]
        )
        let text = TranscriptText.transcript(exchange, redacting: ["authorization"])
        #expect(text.contains("> Authorization: <redacted>"))
        #expect(!text.contains("secret"))
    }
}

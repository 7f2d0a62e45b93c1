/// How an attempt's request is made, and how libcurl's result codes are read.
extension EventSourceCore {
    /// The request of one attempt: the method and body (the same on every attempt: a reconnection re-sends the
    /// request, as fetch-event-source does), the EventSource headers, the user's, and the transport options.
    func makeRequest(lastEventId: String) -> TransferRequest {
        var headers = [
            HTTPHeaderField(name: "Accept", value: "text/event-stream"),
            HTTPHeaderField(name: "Cache-Control", value: "no-cache"),
        ]
        if !lastEventId.isEmpty { headers.append(HTTPHeaderField(name: "Last-Event-ID", value: lastEventId)) }
        for field in configuration.headers {
            headers.removeAll { $0.name.lowercased() == field.name.lowercased() }
        }
        headers += configuration.headers
        return TransferRequest(
            url: url,
            method: configuration.method,
            body: configuration.body,
            headers: headers,
            acceptEncoding: configuration.acceptsCompression ? "" : nil,
            maxRedirects: configuration.maxRedirects,
            httpVersion: configuration.httpVersion,
            sharesConnections: configuration.sharesConnections,
            connectTimeout: configuration.connectTimeout,
            idleTimeout: configuration.idleTimeout,
            insecure: configuration.insecure,
            caFile: configuration.caFile,
            clientCertificateFile: configuration.clientCertificateFile,
            clientKeyFile: configuration.clientKeyFile,
            resetOnClose: configuration.abortsWithReset
        )
    }

    /// Our reading of libcurl's result codes.
    static func ending(forCurlCode code: Int) -> Transcript.Ending {
        switch code {
        case 0: .endOfBody
        case 56, 55, 16, 92: .reset  // CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM
        case 18, 52: .truncated  // CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING
        case 28: .timedOut  // CURLE_OPERATION_TIMEDOUT
        default: .networkError
        }
    }
}

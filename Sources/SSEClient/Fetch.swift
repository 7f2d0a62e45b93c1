/// One GET request on the event sources' libcurl engine, answered with the final response's head and whole body.
///
/// For small JSON endpoints beside a stream (a server's stats, say), not for streams: the body is collected in
/// memory up to `maxBodyBytes`. Redirects are followed (at most 5), compressed bodies decoded, connections shared
/// with other fetches. Bounded in time: the whole exchange, connecting included, must end within `timeout`.
///
/// - Returns: the response, whatever its status.
/// - Throws: ``FetchError`` (`invalidURL`, `invalidHeader`, `timedOut`, `connectionFailed`, `bodyTooLarge`,
///   `transportSetup`), or `CancellationError` if the task is cancelled (the transfer is aborted at once).
public func fetch(
    url: String,
    headers: [HTTPHeaderField] = [],
    timeout: Duration,
    maxBodyBytes: Int = 1 << 20,
    insecure: Bool = false,
    caFile: String? = nil,
    clientCertificateFile: String? = nil,
    clientKeyFile: String? = nil
) async throws -> FetchResponse {
    do {
        try EventSource.validate(url: url)
    } catch {
        throw FetchError.invalidURL(url)
    }
    if let bad = headers.first(where: { !$0.isValidRequestField }) { throw FetchError.invalidHeader(bad.name) }
    let request = TransferRequest(
        url: url,
        headers: headers,
        acceptEncoding: "",
        maxRedirects: 5,
        httpVersion: .http1_1,
        sharesConnections: true,
        connectTimeout: timeout,
        idleTimeout: nil,
        totalTimeout: timeout,
        insecure: insecure,
        caFile: caFile,
        clientCertificateFile: clientCertificateFile,
        clientKeyFile: clientKeyFile,
        resetOnClose: false
    )
    let collector = FetchCollector(timeout: timeout, maxBodyBytes: maxBodyBytes)
    let transfer = Transfer(request: request, delegate: collector)
    let engine = TransferEngine.shared
    let result = await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            collector.onComplete(continuation)
            engine.start(transfer)
        }
    } onCancel: {
        engine.cancel(transfer)
    }
    return try result.get()
}

/// A first response that says the run is set up wrong rather than that the stream is non-conformant: the
/// statuses a passive run's primary request can get when credentials, the path or the method are off. The run is
/// "could not test" (exit 2) with a hint, never a list of MUST failures.
enum SetupHint {
    /// The hint for a status of the primary request, or nil when the status is a verdict like any other (5xx,
    /// 400, 204...).
    static func forStatus(_ status: Int, method: String = "GET") -> String? {
        switch status {
        case 401, 403, 407:
            return
                "the target wants credentials: pass them with --header 'Authorization: ...' (or a cookie with --header 'Cookie: ...')"
        case 404, 410:
            return "check the path of --target: the server has no stream there"
        case 405 where method != "GET":
            return
                "the endpoint does not accept \(method): check --method (a 405's Allow header lists the methods it takes)"
        case 405:
            return
                "the endpoint does not accept GET: EventSource sends only GET, so a POST-only endpoint is a fetch-style stream (an LLM API, an MCP server): give its request with --method POST --data '...' --header 'Content-Type: application/json'"
        default:
            return nil
        }
    }
}

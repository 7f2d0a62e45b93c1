import CCurl

/// What the engine tells the owner of a transfer. Every method is called on the engine thread, one at a time.
protocol TransferDelegate: AnyObject, Sendable {
    /// Request header text exactly as libcurl sent it (one call per request, redirects included).
    func transferDidSendHeaders(_ text: UnsafeRawBufferPointer)
    /// One response header line with its line end (status lines, headers, the blank line ending a head, trailers).
    /// Return false to abort the transfer.
    func transferDidReceiveHeaderLine(_ line: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> Bool
    /// A chunk of the (decoded) response body.
    func transferDidReceiveBody(_ chunk: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> BodyDisposition
    /// The transfer is over; called exactly once, after which no other method is called.
    func transferDidComplete(_ completion: TransferCompletion)
}

/// What to do with a body chunk.
enum BodyDisposition {
    /// The chunk was consumed.
    case consumed
    /// Do not consume it: pause receiving (`CURL_WRITEFUNC_PAUSE`); libcurl delivers it again after resuming.
    case pause
    /// Abort the transfer.
    case abort
}

/// How a transfer ended, as the engine saw it.
struct TransferCompletion: Sendable {
    enum Reason: Sendable {
        /// libcurl finished the transfer with this result code (`CURLE_OK` for a complete response).
        case curl(code: Int, message: String)
        /// The owner cancelled it; the handle was removed mid-transfer.
        case cancelled
        /// No byte arrived for the configured idle time.
        case idleTimeout
        /// The transfer could not be started (an option was refused).
        case setupFailed(message: String)
    }

    var reason: Reason
    var time: ContinuousClock.Instant
    /// The HTTP version libcurl used, e.g. "1.1" or "2", if a response arrived.
    var httpVersion: String?
    /// The address and port of the connection, if one was made.
    var remoteAddress: String?
    var localPort: Int?
}

/// One libcurl easy handle and everything that must live as long as it. Created on any thread, then owned by the
/// engine thread from `TransferEngine.start` on.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let delegate: any TransferDelegate
    let idleTimeout: Duration?
    let resetOnClose: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var setupError: String?

    // Engine thread only.
    var lastActivity: ContinuousClock.Instant = .now
    var paused = false
    var finished = false

    /// Configures an easy handle. Option failures are kept and reported when the engine starts the transfer.
    init(request: TransferRequest, delegate: any TransferDelegate) {
        guard let easy = curl_easy_init() else {
            fatalError("curl_easy_init failed: out of memory")
        }
        self.easy = easy
        self.delegate = delegate
        self.idleTimeout = request.idleTimeout
        self.resetOnClose = request.resetOnClose
        self.errorBuffer = .allocate(capacity: Int(SSE_CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(SSE_CURL_ERROR_SIZE))
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        if request.sentBody != nil {
            // fetch sends neither `Expect: 100-continue` (libcurl adds it to large bodies) nor a `Content-Type` the
            // caller did not give (libcurl adds `application/x-www-form-urlencoded` to POST bodies): "Name:" with no
            // value removes a header libcurl would add.
            lines.append("Expect:")
            if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                lines.append("Content-Type:")
            }
        }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                setupError = "curl_slist_append failed"
                break
            }
            headerList = list
        }
        configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The first option libcurl refused, if any.
    var configurationError: String? { setupError }

    private func set(_ option: CURLoption, _ value: Int, _ name: StaticString) {
        note(sse_easy_setopt_long(easy, option, value), name)
    }

    private func set(_ option: CURLoption, _ value: String, _ name: StaticString) {
        note(sse_easy_setopt_string(easy, option, value), name)
    }

    private func note(_ code: CURLcode, _ name: StaticString) {
        if code != CURLE_OK && setupError == nil {
            setupError = "\(name): \(String(cString: curl_easy_strerror(code)))"
        }
    }

    private func configure(_ request: TransferRequest) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        set(CURLOPT_URL, request.url, "CURLOPT_URL")
        set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR")
        set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        configureMethod(request)
        note(sse_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        note(sse_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        if let encoding = request.acceptEncoding {
            set(CURLOPT_ACCEPT_ENCODING, encoding, "CURLOPT_ACCEPT_ENCODING")
        }
        // Through an HTTPS proxy libcurl would hand the proxy's CONNECT response to the header callback too; the
        // event source must only see the server's heads.
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1, "CURLOPT_SUPPRESS_CONNECT_HEADERS")
        set(CURLOPT_FOLLOWLOCATION, request.maxRedirects > 0 ? 1 : 0, "CURLOPT_FOLLOWLOCATION")
        set(CURLOPT_MAXREDIRS, request.maxRedirects, "CURLOPT_MAXREDIRS")
        switch request.httpVersion {
        case .http1_1: set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, "CURLOPT_HTTP_VERSION")
        case .http2: set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS, "CURLOPT_HTTP_VERSION")
        case .http2PriorKnowledge:
            set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, "CURLOPT_HTTP_VERSION")
        }
        if !request.sharesConnections || (request.httpVersion == .http2PriorKnowledge && !Self.reusesH2CSafely) {
            set(CURLOPT_FRESH_CONNECT, 1, "CURLOPT_FRESH_CONNECT")
            set(CURLOPT_FORBID_REUSE, 1, "CURLOPT_FORBID_REUSE")
        } else if request.httpVersion != .http1_1 {
            // Multiplexing: a transfer started while another's connection is still negotiating waits for it to
            // confirm HTTP/2 instead of racing to open a second connection.
            set(CURLOPT_PIPEWAIT, 1, "CURLOPT_PIPEWAIT")
        }
        if let timeout = request.connectTimeout {
            set(CURLOPT_CONNECTTIMEOUT_MS, max(1, timeout.milliseconds), "CURLOPT_CONNECTTIMEOUT_MS")
        }
        if let timeout = request.totalTimeout {
            set(CURLOPT_TIMEOUT_MS, max(1, timeout.milliseconds), "CURLOPT_TIMEOUT_MS")
        }
        if request.insecure {
            set(CURLOPT_SSL_VERIFYPEER, 0, "CURLOPT_SSL_VERIFYPEER")
            set(CURLOPT_SSL_VERIFYHOST, 0, "CURLOPT_SSL_VERIFYHOST")
        }
        if let file = request.caFile { set(CURLOPT_CAINFO, file, "CURLOPT_CAINFO") }
        if let file = request.clientCertificateFile { set(CURLOPT_SSLCERT, file, "CURLOPT_SSLCERT") }
        if let file = request.clientKeyFile { set(CURLOPT_SSLKEY, file, "CURLOPT_SSLKEY") }
        // Bodies come to Swift through file-scope C functions; `me` is kept alive by the engine's table.
        note(sse_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, transferWriteCallback), "WRITEFUNCTION")
        note(sse_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me), "CURLOPT_WRITEDATA")
        note(sse_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, transferHeaderCallback), "HEADERFUNCTION")
        note(sse_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me), "CURLOPT_HEADERDATA")
        // The debug callback is the only place libcurl shows the request headers it actually sent.
        note(sse_easy_setopt_debug_callback(easy, transferDebugCallback), "CURLOPT_DEBUGFUNCTION")
        note(sse_easy_setopt_pointer(easy, CURLOPT_DEBUGDATA, me), "CURLOPT_DEBUGDATA")
        set(CURLOPT_VERBOSE, 1, "CURLOPT_VERBOSE")
        if request.resetOnClose {
            note(sse_easy_setopt_sockopt_callback(easy, transferSockoptCallback), "CURLOPT_SOCKOPTFUNCTION")
        }
        set(CURLOPT_BUFFERSIZE, 16 * 1024, "CURLOPT_BUFFERSIZE")
    }

    /// The method and body. Redirects follow fetch's rule (WHATWG Fetch, "HTTP-redirect fetch", step 12): a 301 or
    /// 302 answering a POST, and a 303 answering anything but GET or HEAD, turn the request into a GET without a
    /// body; every other redirect (307 and 308 always) re-sends the same method and body. libcurl does exactly that
    /// for a POST made with `CURLOPT_POST` and `CURLOPT_POSTREDIR` 0 (its default: 301/302/303 switch to GET, 307/308
    /// re-post the body). For other methods (`CURLOPT_CUSTOMREQUEST`) `CURLOPT_POSTREDIR` `CURL_REDIR_POST_ALL` keeps
    /// the method and body on 301/302, as fetch does; a 303 there would keep the custom method, which fetch would
    /// not, so `EventSourceCore` does not follow it (the attempt fails with the 303). One difference remains: on the
    /// switch to GET fetch also drops `Content-Type` and the other request-body headers, libcurl keeps the
    /// caller's headers.
    private func configureMethod(_ request: TransferRequest) {
        let method = request.method
        if let body = request.sentBody {
            if method == "POST" {
                set(CURLOPT_POST, 1, "CURLOPT_POST")
            } else {
                set(CURLOPT_CUSTOMREQUEST, method, "CURLOPT_CUSTOMREQUEST")
                set(CURLOPT_POSTREDIR, 7, "CURLOPT_POSTREDIR")  // CURL_REDIR_POST_ALL
            }
            note(sse_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE")
            // libcurl copies the bytes: every attempt and every redirect re-sends them.
            var bytes = body
            if bytes.isEmpty { bytes = [0] }  // a valid pointer; the size (0) says how much is sent
            bytes.withUnsafeMutableBytes {
                note(sse_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress), "COPYPOSTFIELDS")
            }
        } else {
            set(CURLOPT_HTTPGET, 1, "CURLOPT_HTTPGET")
            if method != "GET" { set(CURLOPT_CUSTOMREQUEST, method, "CURLOPT_CUSTOMREQUEST") }
        }
    }

    /// Whether libcurl follows a 303 for this method as fetch does (a GET without a body): for GET and POST only.
    static func followsSeeOtherLikeFetch(method: String) -> Bool { method == "GET" || method == "POST" }

    /// libcurl before 8.0.0 breaks a reused prior-knowledge (h2c) connection with "Error in the HTTP2 framing
    /// layer" (curl/curl#10634, fixed by curl/curl#10643); there every h2c transfer gets its own connection.
    static let reusesH2CSafely: Bool = {
        guard let info = curl_version_info(SSE_CURLVERSION_NOW) else { return false }
        return info.pointee.version_num >= 0x08_00_00
    }()

    /// Facts about the finished transfer, read before the handle is cleaned up.
    func completion(_ reason: TransferCompletion.Reason, at time: ContinuousClock.Instant) -> TransferCompletion {
        var version = 0
        _ = sse_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        let httpVersion: String? =
            switch version {
            case CURL_HTTP_VERSION_1_0: "1.0"
            case CURL_HTTP_VERSION_1_1: "1.1"
            case CURL_HTTP_VERSION_2_0: "2"
            case CURL_HTTP_VERSION_3: "3"
            default: nil
            }
        var ip: UnsafeMutablePointer<CChar>?
        var port = 0
        var localPort = 0
        _ = sse_easy_getinfo_string(easy, CURLINFO_PRIMARY_IP, &ip)
        _ = sse_easy_getinfo_long(easy, CURLINFO_PRIMARY_PORT, &port)
        _ = sse_easy_getinfo_long(easy, CURLINFO_LOCAL_PORT, &localPort)
        var remote: String?
        if let ip, ip.pointee != 0 {
            remote = "\(String(cString: ip)):\(port)"
        }
        return TransferCompletion(
            reason: reason,
            time: time,
            httpVersion: httpVersion,
            remoteAddress: remote,
            localPort: localPort == 0 ? nil : localPort
        )
    }
}

/// What to fetch and how. Plain values: built by `EventSource`, turned into libcurl options by `Transfer`.
struct TransferRequest: Sendable {
    var url: String
    /// The request method; `GET` with no body is what EventSource sends.
    var method: String = "GET"
    /// The request body (nil: none), re-sent by libcurl on 307/308 redirects.
    var body: [UInt8]? = nil
    var headers: [HTTPHeaderField]
    var acceptEncoding: String?
    var maxRedirects: Int
    var httpVersion: EventSource.Configuration.HTTPVersion
    var sharesConnections: Bool
    var connectTimeout: Duration?
    var idleTimeout: Duration?
    /// The longest the whole transfer may take (`CURLOPT_TIMEOUT_MS`); nil: no limit.
    var totalTimeout: Duration? = nil
    var insecure: Bool
    var caFile: String?
    var clientCertificateFile: String?
    var clientKeyFile: String?
    var resetOnClose: Bool
}

extension TransferRequest {
    /// The body sent: a POST without one sends an empty body (`Content-Length: 0`), as fetch does.
    var sentBody: [UInt8]? { body ?? (method == "POST" ? [] : nil) }
}

extension Duration {
    /// Whole milliseconds, saturating.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow { return seconds < 0 ? Int(Int64.min) : Int(Int64.max) }
        return Int(ms.partialValue + attoseconds / 1_000_000_000_000_000)
    }
}

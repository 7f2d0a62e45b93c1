import Foundation

/// Hides secrets in everything a run shows or writes: header values the user gave (`--header`), the user
/// information of a URL (and the `Authorization` header libcurl derives from it), and query parameters whose
/// names say they carry a secret (`token`, `access_token`, `api_key`, `sig`...) or that `--redact-param` names.
/// What is sent to the server is never changed: only what is recorded and reported.
public struct Redactor: Sendable {
    /// What a secret is replaced by.
    public static let placeholder = "<redacted>"

    /// Parameter names that carry secrets, compared case-insensitively.
    public static let secretParameterNames: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "auth_token", "api_key", "apikey", "api-key", "key",
        "auth", "authorization", "jwt", "signature", "sig", "password", "passwd", "pwd", "pass", "secret",
        "client_secret", "session", "sessionid", "session_id", "sid", "credential", "credentials", "code",
    ]
    /// Parts of names that mark them as secrets too (`x-amz-security-token`, `my_api_key`, `user_password`...).
    static let secretNameParts = ["token", "secret", "passw", "signature", "apikey", "api_key", "session", "jwt"]

    /// Request headers that describe the request and never carry a secret: their values are shown (hiding a
    /// `--header 'Content-Type: application/json'` would also hide the response's media type, which
    /// `http/content-type` judges, and every `application/json` in the transcripts).
    public static let plainHeaderNames: Set<String> = [
        "accept", "accept-encoding", "accept-language", "content-type", "content-language", "cache-control",
        "user-agent", "mcp-protocol-version", "last-event-id",
    ]
    /// Extra parameter names to hide (`--redact-param`), lowercased.
    public var extraParameterNames: Set<String>
    /// The suite's own run token: a query value that is it, or starts with it and `-` (the scenario, clients and
    /// abort tokens), is the suite's, not a secret, though its parameter is named `token`.
    public var ownToken: String?
    /// Header names whose values are hidden, lowercased.
    public var headerNames: Set<String>
    /// Literal secret strings (from the URLs and header values) replaced wherever they still appear, longest
    /// first; the raw URLs are replaced by their redacted forms first.
    var literals: [(secret: String, replacement: String)] = []

    /// A redactor for a run against `urls`, with the user's `headers` and `--redact-param` names.
    public init(urls: [String] = [], headers: [(name: String, value: String)] = [], parameters: [String] = []) {
        extraParameterNames = Set(parameters.map { $0.lowercased() })
        headerNames = Set(headers.map { $0.name.lowercased() }).subtracting(Self.plainHeaderNames)
            .union(["authorization", "proxy-authorization"])
        var literals: [(String, String)] = []
        var secrets: Set<String> = []
        for url in urls {
            let redacted = self.url(url)
            if redacted != url { literals.append((url, redacted)) }
            guard let components = URLComponents(string: url) else { continue }
            let user = components.percentEncodedUser ?? ""
            let password = components.percentEncodedPassword ?? ""
            for part in [user, password] where !part.isEmpty {
                secrets.insert(part)
                secrets.insert(part.removingPercentEncoding ?? part)
            }
            if !user.isEmpty || !password.isEmpty {
                let plain =
                    (user.removingPercentEncoding ?? user) + ":" + (password.removingPercentEncoding ?? password)
                secrets.insert(Data(plain.utf8).base64EncodedString())
            }
            for item in components.percentEncodedQueryItems ?? [] where isSecret(parameter: item.name) {
                guard let value = item.value, !value.isEmpty else { continue }
                secrets.insert(value)
                secrets.insert(value.removingPercentEncoding ?? value)
            }
        }
        for header in headers where !header.value.isEmpty && !Self.plainHeaderNames.contains(header.name.lowercased()) {
            secrets.insert(header.value)
            // `Bearer abc`: the credential alone may be echoed too.
            if let space = header.value.lastIndex(of: " ") {
                secrets.insert(String(header.value[space...].dropFirst()))
            }
        }
        // Short strings would blot out ordinary text; the structured redaction still hides them where they sit.
        let literalSecrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
        self.literals = literals.sorted { $0.0.count > $1.0.count } + literalSecrets.map { ($0, Self.placeholder) }
    }

    /// Whether a query parameter of this name carries a secret.
    public func isSecret(parameter name: String) -> Bool {
        let lower = (name.removingPercentEncoding ?? name).lowercased()
        if Self.secretParameterNames.contains(lower) || extraParameterNames.contains(lower) { return true }
        return Self.secretNameParts.contains { lower.contains($0) }
    }

    /// Whether a query value is the suite's own run token (or one derived from it).
    func isOwn(_ value: Substring) -> Bool {
        guard let ownToken, !ownToken.isEmpty else { return false }
        return value == ownToken || value.hasPrefix(ownToken + "-")
    }

    /// `url` with its user information and secret query values replaced; everything else byte for byte.
    public func url(_ url: String) -> String {
        var text = Substring(url)
        var out = ""
        if let scheme = text.range(of: "://") {
            out += text[..<scheme.upperBound]
            text = text[scheme.upperBound...]
            let authorityEnd = text.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
            let authority = text[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                out += Self.placeholder
                out += authority[at...]
            } else {
                out += authority
            }
            text = text[authorityEnd...]
        }
        guard let question = text.firstIndex(of: "?") else { return out + text }
        out += text[...question]
        let rest = text[text.index(after: question)...]
        let fragmentStart = rest.firstIndex(of: "#") ?? rest.endIndex
        let query = rest[..<fragmentStart]
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { (pair: Substring) -> String in
            guard let equals = pair.firstIndex(of: "="), isSecret(parameter: String(pair[..<equals])),
                !isOwn(pair[pair.index(after: equals)...])
            else {
                return String(pair)
            }
            return String(pair[..<equals]) + "=" + Self.placeholder
        }
        return out + pairs.joined(separator: "&") + rest[fragmentStart...]
    }

    /// A header value as it may be recorded: hidden for the named headers, URLs with secrets redacted for
    /// headers that carry one.
    public func header(name: String, value: String) -> String {
        let lower = name.lowercased()
        if headerNames.contains(lower) { return Self.placeholder }
        if ["location", "content-location", "referer", "link"].contains(lower) { return scrub(url(value)) }
        return scrub(value)
    }

    /// `text` with every known secret replaced: for free text (messages, transcripts, server logs).
    public func scrub(_ text: String) -> String {
        var text = text
        for (secret, replacement) in literals where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: replacement)
        }
        return text
    }

    /// A result with every string it carries scrubbed.
    public func scrub(_ result: CheckResult) -> CheckResult {
        guard !literals.isEmpty else { return result }
        var result = result
        result.expected = scrub(result.expected)
        result.actual = scrub(result.actual)
        result.message = scrub(result.message)
        result.evidence.summary = scrub(result.evidence.summary)
        result.evidence.excerpt = scrub(result.evidence.excerpt)
        result.evidence.transcript = scrub(result.evidence.transcript)
        return result
    }

    /// A report with every string it carries scrubbed.
    public func scrub(_ report: RunReport) -> RunReport {
        var report = report
        report.target = scrub(url(report.target))
        report.results = report.results.map(scrub)
        report.serverLog = report.serverLog.map(scrub)
        return report
    }
}

import SSEClient
import Testing

@Suite("TLS")
struct TLSTests {
    /// Verification is on by default: a certificate nobody vouches for is a network error (retried, here not).
    /// `insecure` or the right CA file let the stream open.
    @Test func verifiesByDefaultAndHonoursInsecureAndCAFile() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try await TestServer.scenarios(["--tls", certificate.certificate, certificate.key])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/few?n=1"

        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        let strict = await collect(try EventSource(url: url, configuration: configuration))
        #expect(strict.opens.isEmpty)
        #expect(strict.errors.first?.kind == .connectionLost)
        #expect(strict.errors.first?.curlCode == 60)  // CURLE_PEER_FAILED_VERIFICATION
        #expect(strict.closed??.kind == .reconnectionLimit)

        var insecure = configuration
        insecure.insecure = true
        #expect(await collect(try EventSource(url: url, configuration: insecure)).data == ["event 1"])

        var trusting = configuration
        trusting.caFile = certificate.certificate
        #expect(await collect(try EventSource(url: url, configuration: trusting)).data == ["event 1"])
    }

    /// Mutual TLS: without a client certificate the handshake fails; with it the stream opens.
    @Test func presentsAClientCertificate() async throws {
        let serverCertificate = try TestCertificate()
        let clientCertificate = try TestCertificate()
        defer {
            serverCertificate.remove()
            clientCertificate.remove()
        }
        let server = try await TestServer.scenarios([
            "--tls", serverCertificate.certificate, serverCertificate.key, "--client-ca", clientCertificate.certificate,
        ])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/few?n=1"

        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.caFile = serverCertificate.certificate
        let anonymous = await collect(try EventSource(url: url, configuration: configuration))
        #expect(anonymous.opens.isEmpty)
        #expect(anonymous.errors.first?.kind == .connectionLost)

        configuration.clientCertificateFile = clientCertificate.certificate
        configuration.clientKeyFile = clientCertificate.key
        let source = try EventSource(url: url, configuration: configuration)
        #expect(await collect(source).data == ["event 1"])
        #expect(source.transcript.attempts.first?.remoteAddress == "127.0.0.1:\(server.port)")
    }
}

extension NestEventEncoder {
    /// The response headers NestJS 11.1 sets on an `@Sse()` route, with its values and in its order (measured:
    /// `fixtures/nest/`). `Expire` (sic): Nest 11.x spells it so. `X-Accel-Buffering: no` turns off nginx's proxy
    /// buffering.
    ///
    /// Plain name and value pairs, as this module has no HTTP types: the reference server's routes write them and
    /// the `nestjs` checks compare with them.
    public static let headers: [(name: String, value: String)] = [
        ("Content-Type", "text/event-stream"),
        ("Connection", "keep-alive"),
        ("Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0, no-transform"),
        ("Pragma", "no-cache"),
        ("Expire", "0"),
        ("X-Accel-Buffering", "no"),
    ]
}

extension Scenario {
    /// The names of the manifest's scenarios (fixtures/scenarios/manifest.json), for the code that treats one of
    /// them specially: the checks that judge it, the probes that pace or abort it. Spelled once, here.
    public enum Name {
        /// NestJS sample 28-sse: `{ hello: 'world' }` every second, forever.
        public static let sample28 = "sample28-sse"
        /// Typed events mixed with untyped ones.
        public static let typedMixed = "typed-mixed"
        /// Multi-line data split on LF, CRLF and CR.
        public static let multiline = "multiline"
        /// Explicit ids mixed with automatic ones.
        public static let ids = "ids"
        /// Sets the reconnection time, then ends; the reconnection is served again.
        public static let retry = "retry"
        /// A reconnection continues after its `Last-Event-ID`, 204 when nothing is left.
        public static let resume = "resume"
        /// The reconnection is answered 204 No Content.
        public static let stop = "stop"
        /// The source fails: Nest's error event, then the end.
        public static let error = "error"
        /// A source that never ends (the abort probe's).
        public static let never = "never"
        /// Non-ASCII data.
        public static let unicode = "unicode"
        /// A slow producer whose pacing is under test.
        public static let slow = "slow"
        /// CR and LF inside type, id and retry.
        public static let inject = "inject"
        /// Data that is not a string.
        public static let values = "values"

        /// Every name above, in the manifest's order.
        public static let all = [
            sample28, typedMixed, multiline, ids, retry, resume, stop, error, never, unicode, slow, inject, values,
        ]
    }
}

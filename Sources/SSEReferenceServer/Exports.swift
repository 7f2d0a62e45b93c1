// The scenario manifest model lives in its own target so the conformance checks can read it without
// Hummingbird; users of the reference server get it with it.
@_exported import SSEScenarios

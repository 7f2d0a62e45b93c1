/// The I/O side of a run: the connections the checks judge. Checks never open connections themselves; they
/// ask for probes, which are made once and shared (so a 6-second listen is not repeated per check).
///
/// The live implementation drives the libcurl client; tests give recorded or synthetic exchanges, which makes
/// every check a pure judgement that can be shown to fail.
public protocol Probes: Sendable {
    /// The passive listen on the target, until `--events` events or `--listen` seconds.
    func primary() async throws -> Exchange
    /// What an EventSource does after the primary ended or was cut: waits the reconnection time and connects
    /// again, with `Last-Event-ID` when the primary showed an id.
    func reconnection() async throws -> Exchange
    /// `--clients` simultaneous connections to the target.
    func concurrentClients() async throws -> [Exchange]
    /// The conformance scenarios, run against `--scenarios BASEURL`.
    func scenarioRuns() async throws -> [ScenarioRun]
    /// The stats the scenario server reports for this run's token, after an abort.
    func abortRelease() async throws -> AbortReleaseProbe
    /// Which passive probes the run's checks will ask for, told before any is asked for: live probes may then
    /// start one early, beside another (the concurrent clients beside the primary).
    func expect(_ probes: StreamProbeSelection) async
}

extension Probes {
    public func expect(_ probes: StreamProbeSelection) async {}
}

/// A probe that could not be made: the harness's fault or the target unreachable; an `error` outcome.
public struct ProbeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one line.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

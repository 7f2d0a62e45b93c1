/// The connections the run's probes made, for the HTML report. Only probes that were made are read: asking for
/// the records never opens a connection.
extension LiveProbes {
    /// Every probe made so far, each with its connections in order: the passive primary and its reconnection,
    /// each concurrent client, each scenario, the abort probe. Probes that failed or were stopped before they
    /// recorded anything are left out.
    public func records() async -> [ProbeRecord] {
        let initial = Int((configuration.initialReconnectionTime * 1000).rounded())
        var records: [ProbeRecord] = []
        // Without a passive target the reconnection is a copy of the retry scenario's second connection.
        if configuration.target != nil, let primary = try? await primaryTask?.value {
            var passive = [primary]
            if let reconnection = try? await reconnectionTask?.value { passive.append(reconnection) }
            records.append(ProbeRecord(name: "primary", exchanges: passive, initialRetry: initial))
        }
        for client in (try? await clientsTask?.value) ?? [] {
            records.append(ProbeRecord(name: client.label, exchanges: [client]))
        }
        for run in (try? await scenariosTask?.value) ?? [] {
            // Scenario connections reconnect after the retry their stream set, at once when it set none.
            records.append(ProbeRecord(name: "scenario \(run.scenario.name)", exchanges: run.exchanges))
        }
        if let abort = try? await abortTask?.value, let exchange = abort.exchange {
            records.append(ProbeRecord(name: exchange.label, exchanges: [exchange]))
        }
        return records
    }
}

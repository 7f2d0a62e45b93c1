import ArgumentParser
import SSEConformance

/// What `--only` / `--skip` leave to run in the modes and profile the other options give, checked before
/// anything connects: a selection that cannot run here is a usage error naming the option that would let it.
extension RunOptions {
    /// The target to test (a bare URL argument has become `--target`, see ``CommandRouting``).
    var effectiveTarget: String? { target }

    /// Why the selection leaves nothing to run with these options, or nil when something runs.
    func selectionProblem() -> String? {
        guard !only.isEmpty || !skip.isEmpty else { return nil }
        // No target and no scenarios: the built-in server, every mode.
        guard effectiveTarget != nil || scenarios != nil else { return nil }
        var modes: Set<Mode> = []
        if effectiveTarget != nil { modes.insert(.passive) }
        if scenarios != nil { modes.insert(.scenarios) }
        let profile = self.profile ?? .spec
        if !Catalogue.select(profile: profile, modes: modes, only: only, skip: skip).isEmpty { return nil }
        let selection =
            (only.map { "--only \($0)" } + skip.map { "--skip \($0)" }).joined(separator: " ")
        let allModes = Set(Mode.allCases)
        var needs: [String] = []
        if Catalogue.select(profile: .nestjs, modes: modes, only: only, skip: skip).isEmpty,
            !Catalogue.select(profile: .nestjs, modes: allModes, only: only, skip: skip).isEmpty
        {
            needs.append(
                modes.contains(.scenarios)
                    ? "--target URL (these checks listen to a passive stream)"
                    : "--scenarios BASEURL (these checks need a server mounting the scenarios of fixtures/scenarios/; without --target the built-in server runs them)"
            )
        }
        if Catalogue.select(profile: profile, modes: allModes, only: only, skip: skip).isEmpty {
            needs.append("--profile nestjs (these are NestJS parity checks)")
        }
        guard !needs.isEmpty else {
            return "\(selection) leaves no check to run (see 'sse-conformance list')"
        }
        return
            "\(selection) selects no check that can run with these options: add \(needs.joined(separator: " and ")); 'sse-conformance list \(selection)' shows their modes and profile"
    }
}

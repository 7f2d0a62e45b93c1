/// Every check, in the order DESIGN.md's catalogue lists them. Ids are stable: add, never rename or reuse.
public enum Catalogue {
    /// All checks.
    public static let all: [Check] = http + framing + dispatch + reconnect + close + delivery + nestChecks

    /// The check with this id.
    public static func check(_ id: String) -> Check? { all.first { $0.id == id } }

    /// The checks that apply to a run: its profile, its modes, and the `--only` / `--skip` globs.
    public static func select(
        profile: Profile,
        modes: Set<Mode>,
        only: [String] = [],
        skip: [String] = []
    ) -> [Check] {
        all.filter { check in
            guard check.profile == .spec || profile == .nestjs else { return false }
            guard !check.modes.isDisjoint(with: modes) else { return false }
            if !only.isEmpty && !only.contains(where: { Glob.matches($0, check.id) }) { return false }
            return !skip.contains { Glob.matches($0, check.id) }
        }
    }

    /// Globs (from `--only`/`--skip`) that match no check id at all: a usage error.
    public static func unmatchedGlobs(_ globs: [String]) -> [String] {
        globs.filter { glob in !all.contains { Glob.matches(glob, $0.id) } }
    }
}

/// Shell-style globs on check ids: `*` matches any run of characters (including `/`), `?` one character.
/// A glob without wildcards also matches as a group prefix: `framing` or `framing/` select the whole group.
public enum Glob {
    /// Whether `pattern` matches `text`.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        if !pattern.contains("*") && !pattern.contains("?") {
            let group = pattern.hasSuffix("/") ? pattern : pattern + "/"
            return pattern == text || text.hasPrefix(group)
        }
        return match(Array(pattern), 0, Array(text), 0)
    }

    static func match(_ p: [Character], _ i: Int, _ t: [Character], _ j: Int) -> Bool {
        if i == p.count { return j == t.count }
        if p[i] == "*" {
            var k = j
            while true {
                if match(p, i + 1, t, k) { return true }
                if k == t.count { return false }
                k += 1
            }
        }
        guard j < t.count, p[i] == "?" || p[i] == t[j] else { return false }
        return match(p, i + 1, t, j + 1)
    }
}

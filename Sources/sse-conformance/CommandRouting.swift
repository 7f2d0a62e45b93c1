import ArgumentParser

/// How the command line is split between a run and the `list` / `serve` / `scenarios` subcommands.
///
/// argument-parser lets a parent's options appear after a subcommand's name, where the subcommand would
/// silently ignore them (`serve --only x`, `list --json x`), or take them for its own (`scenarios --json` read as
/// a run's `--json <path>`). So `list`, `serve` and `scenarios` are parsed on their own, with only the options
/// they declare: anything else is a usage error that names it. Help and `--version` still go through the root, so
/// `sse-conformance list --help` reads as before.
enum CommandRouting {
    /// Subcommands that take only their own options.
    static let standalone: [any ParsableCommand.Type] = [ListCommand.self, ServeCommand.self, ScenariosCommand.self]

    /// The command to run for `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        if let first = arguments.first,
            let type = standalone.first(where: { $0.configuration.commandName == first }),
            !arguments.contains(where: { ["-h", "--help", "-help", "--help-hidden", "--version"].contains($0) })
        {
            do {
                return try type.parse(Array(arguments.dropFirst())) as any ParsableCommand
            } catch {
                throw usageError(type, type.message(for: error))
            }
        }
        let command = try SSEConformanceCommand.parseAsRoot(try withTargetOption(arguments))
        // Root options given before a standalone subcommand's name: they belong to a run, not to it.
        if let type = standalone.first(where: { Swift.type(of: command) == $0 }) {
            let name = type.configuration.commandName ?? ""
            let before = arguments.prefix { $0 != name }
            throw usageError(
                type,
                "\(before.joined(separator: " ")): \(name) takes no run option (they go without a subcommand, or after 'run')"
            )
        }
        return command
    }

    /// Prints a usage error for a subcommand in argument-parser's form and ends with exit 2.
    static func usageError(_ type: any ParsableCommand.Type, _ message: String) -> ExitCode {
        let name = type.configuration.commandName ?? ""
        let usage = SSEConformanceCommand.usageString(for: type)
        Console.error(
            "Error: sse-conformance \(name): \(message)\nUsage: \(usage)\n  See 'sse-conformance \(name) --help' for more information."
        )
        return ExitCode(2)
    }

    /// `sse-conformance http://host/sse`: a bare http(s) URL where a run takes no positional argument is the
    /// target. A URL that is an option's value (`--origin https://app`) stays one.
    static func withTargetOption(_ arguments: [String]) throws -> [String] {
        var index = 0
        var bare: Int?
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument.hasPrefix("-") {
                let takesValue = !argument.contains("=") && !runFlags.contains(argument)
                index += takesValue ? 2 : 1
                continue
            }
            let lower = argument.lowercased()
            if bare == nil, lower.hasPrefix("http://") || lower.hasPrefix("https://") { bare = index }
            index += 1
        }
        guard let bare else { return arguments }
        if let given = arguments.firstIndex(where: { $0 == "--target" || $0.hasPrefix("--target=") }) {
            let other =
                arguments[given].hasPrefix("--target=")
                ? String(arguments[given].dropFirst(9)) : (given + 1 < arguments.count ? arguments[given + 1] : "")
            throw usageError(
                RunCommand.self,
                "\(arguments[bare].debugDescription) and --target \(other.debugDescription) both name the target: give one"
            )
        }
        var rewritten = arguments
        rewritten.replaceSubrange(bare...bare, with: ["--target", arguments[bare]])
        return rewritten
    }

    /// A run's options that take no value (the flags), read from ``RunOptions`` itself so a new flag is known.
    static let runFlags: Set<String> = {
        var names: Set<String> = ["-h", "--help", "--version", "-v", "--help-hidden"]
        for child in Mirror(reflecting: RunOptions()).children {
            guard let label = child.label, String(describing: type(of: child.value)).hasPrefix("Flag<") else {
                continue
            }
            var name = "--"
            for character in label.drop(while: { $0 == "_" }) {
                if character.isUppercase {
                    name += "-" + character.lowercased()
                } else {
                    name.append(character)
                }
            }
            names.insert(name)
        }
        return names
    }()
}

/// The reference server's deliberate divergences from what NestJS 11.1 writes (DESIGN.md, "Deliberate
/// divergences"), one flag each. ``NestModel`` with none of them writes exactly NestJS 11.1's bytes; with
/// ``reference`` (all of them) it writes the reference server's bytes (``NestEventEncoder``).
///
/// Stripping CR and LF from `type`, `id` and `retry` is not a flag: NestJS 11.1 does it too.
public struct NestDivergences: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Falsy data (`""`, `0`, `false`, `null`) is written (`data: `, `data: 0`...); Nest writes no `data:` line.
    public static let writesFalsyData = NestDivergences(rawValue: 1 << 0)
    /// Truthy number or boolean data is JSON-encoded; Nest throws on it and ends the stream.
    public static let encodesScalarData = NestDivergences(rawValue: 1 << 1)
    /// `retry: 0` is written; Nest drops it as falsy.
    public static let writesZeroRetry = NestDivergences(rawValue: 1 << 2)
    /// A numeric `id: 0` is written as `id: 0`; Nest replaces it with the counter.
    public static let writesZeroId = NestDivergences(rawValue: 1 << 3)

    /// Every flag, in the order ``description`` names them.
    public static let each: [NestDivergences] = [.writesFalsyData, .encodesScalarData, .writesZeroRetry, .writesZeroId]

    /// All of them: what the reference server writes.
    public static let reference: NestDivergences = [
        .writesFalsyData, .encodesScalarData, .writesZeroRetry, .writesZeroId,
    ]

    /// Every combination of the flags, fewest flags first (NestJS 11.1 itself first, the reference server last).
    public static let combinations: [NestDivergences] = (0..<(1 << each.count)).map { NestDivergences(rawValue: $0) }
        .sorted { ($0.rawValue.nonzeroBitCount, $0.rawValue) < ($1.rawValue.nonzeroBitCount, $1.rawValue) }

    /// The flags in words (`falsy data written, id 0 written`); empty for none.
    public var description: String {
        let names: [(NestDivergences, String)] = [
            (.writesFalsyData, "falsy data written"),
            (.encodesScalarData, "number and boolean data JSON-encoded"),
            (.writesZeroRetry, "retry 0 written"),
            (.writesZeroId, "id 0 written"),
        ]
        return names.filter { contains($0.0) }.map(\.1).joined(separator: ", ")
    }
}

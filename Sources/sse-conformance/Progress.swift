import SSEConformance
import SSEReporting
import Synchronization

/// Live progress on stderr while checks run: one updating line on a terminal, a line per check with -v.
final class Progress: Sendable {
    let total: Int
    let live: Bool
    let verbose: Bool
    let color: Bool
    let finishedCount = Mutex(0)

    init(total: Int, live: Bool, verbose: Bool, color: Bool) {
        self.total = total
        self.live = live
        self.verbose = verbose
        self.color = color
    }

    func finished(_ result: CheckResult) {
        let count = finishedCount.withLock { count -> Int in
            count += 1
            return count
        }
        if verbose {
            if live { Console.write(2, "\r\u{1B}[2K") }
            Console.write(2, "[\(count)/\(total)] " + ConsoleReporter(color: color).line(for: result))
        }
        if live {
            Console.write(2, "\r\u{1B}[2K  checking... \(count)/\(total) done (last: \(result.id))")
        }
    }

    func done() {
        if live { Console.write(2, "\r\u{1B}[2K") }
    }
}

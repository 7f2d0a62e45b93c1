import SSEReporting
import Synchronization

/// The reports a run wrote, in the order written: each report writer adds its file, and the console lists them
/// all at the end of the run.
final class WrittenReports: Sendable {
    let reports = Mutex<[WrittenReport]>([])

    /// Notes a file that was written.
    func add(_ report: WrittenReport) {
        reports.withLock { $0.append(report) }
    }

    /// Everything written so far.
    var all: [WrittenReport] { reports.withLock { $0 } }
}

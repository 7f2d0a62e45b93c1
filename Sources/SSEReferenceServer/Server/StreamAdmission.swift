import NIOConcurrencyHelpers

/// Limits the event streams a server holds open at once, so an overloaded server refuses new streams (503)
/// instead of starving the ones it has.
final class StreamAdmission: Sendable {
    /// Streams admitted at most.
    let limit: Int
    private let count = NIOLockedValueBox(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Streams admitted now.
    var admitted: Int { count.withLockedValue { $0 } }

    /// A ticket if there is room; the slot is given back when the ticket is released.
    func admit() -> Ticket? {
        let admitted = count.withLockedValue { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        return admitted ? Ticket(admission: self) : nil
    }

    fileprivate func release() {
        count.withLockedValue { $0 -= 1 }
    }

    /// One admitted stream; releasing it frees the slot (also when the response is never written).
    final class Ticket: Sendable {
        private let admission: StreamAdmission
        fileprivate init(admission: StreamAdmission) { self.admission = admission }
        deinit { admission.release() }
    }
}

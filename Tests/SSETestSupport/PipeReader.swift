import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipe on its own thread until it closes, keeping everything it read.
final class PipeReader: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()
    private var closed = false

    init(fd: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                lock.lock()
                if count <= 0 {
                    closed = true
                    lock.broadcast()
                    lock.unlock()
                    break
                }
                data.append(contentsOf: buffer[0..<count])
                lock.broadcast()
                lock.unlock()
            }
            close(fd)
        }
    }

    /// Everything, once the pipe has closed.
    func text() -> String {
        lock.lock()
        while !closed { lock.wait() }
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// What was read so far.
    func textSoFar() -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first line, waiting up to `timeout` seconds for it.
    func firstLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let newline = data.firstIndex(of: 0x0A) { return String(decoding: data[..<newline], as: UTF8.self) }
            if closed || !lock.wait(until: deadline) { return nil }
        }
    }
}

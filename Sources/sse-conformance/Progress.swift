import Foundation
import SSEConformance
import SSEReporting
import Synchronization

/// Live progress on standard error while the probes listen and the checks run.
///
/// On a terminal: one line redrawn in place a few times a second, with each listening connection's events,
/// bytes and the seconds of its window used, and the checks done. Not on a terminal (CI logs): nothing is
/// redrawn; one line per finished connection instead. With `-v`, the finished-connection lines on a terminal
/// too. `--dump` lines (the primary's body as it arrives) go here as well, so they never tear the live line.
final class Progress: Sendable {
    let live: Bool
    let verbose: Bool
    let width: Int
    let state = Mutex(State())
    let redraw = Mutex<Task<Void, Never>?>(nil)

    struct State {
        var activity: ProbeActivity?
        var total = 0
        var finished = 0
        var lastCheck = ""
        /// Whether a live line is on screen.
        var drawn = false
        var done = false
    }

    init(live: Bool, verbose: Bool, width: Int?) {
        self.live = live
        self.verbose = verbose
        self.width = width ?? 80
    }

    /// The activity the probes report into; its callbacks print here.
    func makeActivity(dumpsPrimary: Bool) -> ProbeActivity {
        let activity = ProbeActivity(
            dumps: { dumpsPrimary && $0 == "primary" },
            onChunk: { [self] label, chunk in dump(label, chunk) },
            onFinish: { [self] probe in probeFinished(probe) }
        )
        state.withLock { $0.activity = activity }
        if live {
            redraw.withLock {
                $0 = Task { [self] in
                    while !Task.isCancelled {
                        draw()
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
            }
        }
        return activity
    }

    /// The checks start.
    func checksStarted(total: Int) {
        state.withLock { $0.total = total }
    }

    /// A check finished (its verdict is shown once, in the report at the end).
    func finished(_ result: CheckResult) {
        state.withLock {
            $0.finished += 1
            $0.lastCheck = result.id
        }
    }

    /// Clears the live line for good.
    func done() {
        redraw.withLock { $0?.cancel() }
        state.withLock { state in
            state.done = true
            if state.drawn { Console.write(2, "\r\u{1B}[2K") }
            state.drawn = false
        }
    }

    // MARK: Lines

    /// A line that stays (a finished connection, a dump line): the live line is cleared first, redrawn later.
    func print(_ line: String) {
        state.withLock { state in
            if state.drawn { Console.write(2, "\r\u{1B}[2K") }
            state.drawn = false
            Console.write(2, line + "\n")
        }
    }

    func probeFinished(_ probe: ProbeActivity.Probe) {
        guard !live || verbose else { return }
        print(ProgressText.finishedLine(probe))
    }

    /// `--dump`: the chunk split after each line end, each piece with the chunk's arrival time and offset.
    func dump(_ label: String, _ chunk: BodyChunk) {
        for line in ProgressText.dumpLines(label, chunk) { print(line) }
    }

    /// The live line: checks done, then each listening connection, cut to the terminal's width.
    func draw() {
        state.withLock { state in
            guard !state.done, let activity = state.activity else { return }
            let line = ProgressText.liveLine(
                activity.listening(),
                finished: state.finished,
                total: state.total,
                lastCheck: state.lastCheck,
                now: .now,
                width: width
            )
            Console.write(2, "\r\u{1B}[2K" + line)
            state.drawn = true
        }
    }
}

import Testing

@testable import SSEClient

@Suite("Transcript bounds")
struct BoundedLogTests {
    @Test func keepsHeadAndTailAndCountsTheRest() {
        var log = BoundedLog<Int>(limit: 10)
        for i in 0..<1_000 { log.append(i, weight: 1) }
        #expect(log.elements == [0, 1, 2, 3, 4, 995, 996, 997, 998, 999])
        #expect(log.droppedCount == 990)
        #expect(log.droppedWeight == 990)
    }

    @Test func keepsEverythingUnderTheLimit() {
        var log = BoundedLog<Int>(limit: 100)
        for i in 0..<50 { log.append(i, weight: 2) }
        #expect(log.elements == Array(0..<50))
        #expect(log.droppedCount == 0)
    }
}

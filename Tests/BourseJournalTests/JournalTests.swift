import CRC32C
import Foundation
import Testing

@testable import BourseJournal

/// A fresh folder under the system's temporary folder, removed when the test is done.
final class TemporaryFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-journal-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes batches of records whose payloads are derived from their sequence numbers.
struct JournalFixture {
    static func payload(_ seq: UInt64) -> [UInt8] {
        (0..<(Int(seq % 37) + 1)).map { UInt8(truncatingIfNeeded: seq &* 31 &+ UInt64($0)) }
    }
    static func ts(_ seq: UInt64) -> Int64? { seq % 5 == 0 ? nil : Int64(seq) * 10 }

    /// Writes records 1...count in batches of `batch`, syncing after each, and returns the folder.
    static func write(
        count: UInt64, batch: UInt64, segmentBytes: Int, into folder: String, from first: UInt64 = 1,
        preallocate: Bool = false
    ) throws {
        let writer = try JournalWriter(folder: folder, segmentBytes: segmentBytes, preallocate: preallocate)
        writer.waitForSpare()
        var seq = first
        while seq < first + count {
            let end = min(seq + batch, first + count)
            var bytes: [UInt8] = []
            for s in seq..<end {
                let payload = payload(s)
                var record = [UInt8](repeating: 0, count: JournalRecord.headerSize + payload.count)
                let size = record.withUnsafeMutableBytes { destination in
                    payload.withUnsafeBytes {
                        JournalRecord.write(
                            seq: s, ts: ts(s), type: UInt8(s % 10 + 1), payload: $0, at: destination.baseAddress!)
                    }
                }
                #expect(size == record.count)
                bytes += record
            }
            _ = try bytes.withUnsafeMutableBytes { try writer.write($0, firstSeq: seq) }
            try writer.sync()
            writer.waitForSpare()
            writer.waitForSpare()
            seq = end
        }
    }

    /// Reads everything after `after` and checks each record against what was written.
    static func readBack(_ folder: String, after: UInt64 = 0) throws -> JournalReader.Summary {
        var expected = after + 1
        return try JournalReader.read(folder: folder, after: after) { record in
            #expect(record.seq == expected)
            #expect(Array(record.payload) == payload(record.seq))
            #expect(record.ts == ts(record.seq))
            #expect(record.type == UInt8(record.seq % 10 + 1))
            expected += 1
        }
    }

    static func segments(_ folder: String) -> [String] {
        (try! FileManager.default.contentsOfDirectory(atPath: folder)).filter { $0.hasSuffix(".log") }.sorted()
            .map { folder + "/" + $0 }
    }
}

@Suite("journal: CRC-32C, records, segments, torn tails and damage")
struct JournalTests {
    @Test("CRC-32C matches the standard check value and the portable code on any length and alignment")
    func crc32c() {
        let check = Array("123456789".utf8)
        #expect(bourse_crc32c(0, check, check.count) == 0xE306_9283)
        #expect(bourse_crc32c_portable(0, check, check.count) == 0xE306_9283)
        var generator = SystemRandomNumberGenerator()
        let data = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4000] {
                    let pointer = raw.baseAddress! + start
                    #expect(bourse_crc32c(0, pointer, length) == bourse_crc32c_portable(0, pointer, length))
                }
            }
            // Extending a crc equals computing it in one go.
            let whole = bourse_crc32c(0, raw.baseAddress!, 3000)
            #expect(bourse_crc32c(bourse_crc32c(0, raw.baseAddress!, 1234), raw.baseAddress! + 1234, 1766) == whole)
        }
    }

    @Test("records written in batches over several segments read back in order, payloads and timestamps intact")
    func roundTrip() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 2_000, batch: 37, segmentBytes: 8_000, into: folder.path)
        #expect(JournalFixture.segments(folder.path).count > 5)
        let summary = try JournalFixture.readBack(folder.path)
        #expect(summary.visited == 2_000 && summary.lastSeq == 2_000 && summary.tornTail == nil)
        // Reading after a sequence number skips what comes before, and whole segments before it.
        let tail = try JournalFixture.readBack(folder.path, after: 1_500)
        #expect(tail.visited == 500 && tail.segments < summary.segments)
    }

    @Test("a last write cut anywhere is a torn tail: the records before it survive, the cut removes the rest")
    func tornTailAtEveryLength() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 100, batch: 10, segmentBytes: 1 << 20, into: folder.path)
        let segment = try #require(JournalFixture.segments(folder.path).last)
        let whole = try Data(contentsOf: URL(fileURLWithPath: segment))
        // Record 91 starts the last write.
        let lastWriteStart = try offsetOfRecord(91, in: folder.path)
        for length in stride(from: lastWriteStart + 1, to: whole.count, by: 7) {
            try whole.prefix(length).write(to: URL(fileURLWithPath: segment))
            let summary = try JournalFixture.readBack(folder.path)
            let tail = try #require(summary.tornTail, "cut at \(length)")
            #expect(summary.lastSeq.map { $0 >= 90 } == true)
            #expect(tail.offset + tail.length == length)
            #expect(tail.offset >= lastWriteStart)
        }
        // Cutting the tail leaves a clean journal.
        try whole.prefix(lastWriteStart + 10).write(to: URL(fileURLWithPath: segment))
        let torn = try #require(try JournalFixture.readBack(folder.path).tornTail)
        try JournalReader.cut(torn)
        let after = try JournalFixture.readBack(folder.path)
        #expect(after.tornTail == nil && after.lastSeq == 90)
    }

    @Test("holes in the last write (sectors never written) are a torn tail, not damage")
    func holesInTheLastWrite() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 100, batch: 20, segmentBytes: 1 << 20, into: folder.path)
        let segment = try #require(JournalFixture.segments(folder.path).last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        let start = try offsetOfRecord(81, in: folder.path)
        // Zero a stretch inside the last write; records of the same write after it survive.
        for i in (start + 40)..<(start + 120) { bytes[i] = 0 }
        try bytes.write(to: URL(fileURLWithPath: segment))
        let summary = try JournalFixture.readBack(folder.path)
        #expect(summary.tornTail != nil)
        #expect(summary.lastSeq.map { $0 >= 80 && $0 < 100 } == true)
    }

    @Test("preallocated segments: the zeros after the data end it; a torn write inside them is still found")
    func preallocatedSegments() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 300, batch: 10, segmentBytes: 4_096, into: folder.path, preallocate: true)
        let segments = JournalFixture.segments(folder.path)
        #expect(segments.count > 3)
        for segment in segments {
            #expect(try Data(contentsOf: URL(fileURLWithPath: segment)).count == 4_096, "\(segment) is preallocated")
        }
        let clean = try JournalFixture.readBack(folder.path)
        #expect(clean.lastSeq == 300 && clean.tornTail == nil)
        // A torn last write: its second half never reached the disk (zeros), then junk from a sector.
        let last = segments.last!
        var bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        let start = try offsetOfRecord(291, in: folder.path)
        let end = try offsetOfRecord(300, in: folder.path) + 30
        for i in (start + 60)..<end { bytes[i] = 0 }
        bytes[end + 100] = 0x5A
        try bytes.write(to: URL(fileURLWithPath: last))
        let torn = try JournalFixture.readBack(folder.path)
        let tail = try #require(torn.tornTail)
        #expect(tail.offset >= start && torn.lastSeq.map { $0 >= 290 && $0 < 300 } == true)
        // Zeros in a segment that is not the last, with records after them, are damage.
        var middle = try Data(contentsOf: URL(fileURLWithPath: segments[1]))
        for i in 100..<140 { middle[i] = 0 }
        try middle.write(to: URL(fileURLWithPath: segments[1]))
        let error = try #require(throws: JournalError.self) { try JournalFixture.readBack(folder.path) }
        #expect(error.code == .corrupt && error.message.contains(segments[1]))
    }

    @Test("a last segment of zeros (a preallocated segment whose header never reached the disk) holds nothing")
    func zeroSegmentIsEmpty() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 50, batch: 10, segmentBytes: 1 << 20, into: folder.path)
        let zeros = folder.path + "/" + Segment.name(firstSeq: 51)
        try Data(count: 4_096).write(to: URL(fileURLWithPath: zeros))
        let summary = try JournalFixture.readBack(folder.path)
        #expect(summary.lastSeq == 50)
        let torn = try #require(summary.tornTail)
        #expect(torn.path == zeros && torn.offset == 0)
        try JournalReader.cut(torn)
        #expect(!FileManager.default.fileExists(atPath: zeros))
        #expect(try JournalFixture.readBack(folder.path).tornTail == nil)
    }

    @Test("damage before a later write, or in a segment that is not the last, stops reading with file and offset")
    func damageInTheMiddle() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 300, batch: 10, segmentBytes: 2_000, into: folder.path)
        let segments = JournalFixture.segments(folder.path)
        #expect(segments.count > 3)
        // A flipped byte in an early segment.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segments[1]))
        bytes[100] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: segments[1]))
        let error = try #require(throws: JournalError.self) { try JournalFixture.readBack(folder.path) }
        #expect(error.code == .corrupt)
        #expect(error.message.contains(segments[1]) && error.message.contains("offset"))
        bytes[100] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: segments[1]))
        // A flipped byte in the last segment with a later write after it.
        let last = segments.last!
        var lastBytes = try Data(contentsOf: URL(fileURLWithPath: last))
        lastBytes[Segment.headerSize + 3] ^= 0x01
        try lastBytes.write(to: URL(fileURLWithPath: last))
        let lastError = try #require(throws: JournalError.self) { try JournalFixture.readBack(folder.path) }
        #expect(lastError.code == .corrupt && lastError.message.contains("later write"))
    }

    @Test("a missing segment is a gap, and so is a journal that starts after the records asked for")
    func gaps() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 300, batch: 10, segmentBytes: 2_000, into: folder.path)
        let segments = JournalFixture.segments(folder.path)
        try FileManager.default.removeItem(atPath: segments[2])
        let error = try #require(throws: JournalError.self) { try JournalFixture.readBack(folder.path) }
        #expect(error.code == .gap)
        try FileManager.default.removeItem(atPath: segments[0])
        let start = try #require(throws: JournalError.self) { try JournalFixture.readBack(folder.path, after: 0) }
        #expect(start.code == .gap)
    }

    @Test("snapshots are written whole, read back with their checksum checked, and pruned to the newest")
    func snapshots() throws {
        let folder = TemporaryFolder()
        let state: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for seq: UInt64 in [10, 20, 30, 40] {
            try SnapshotStore.write(state: state + [UInt8(seq)], seq: seq, folder: folder.path)
        }
        let listed = try SnapshotStore.list(folder.path)
        #expect(listed.map(\.seq) == [10, 20, 30, 40])
        let loaded = try SnapshotStore.load(listed.last!.path)
        #expect(loaded.seq == 40 && loaded.state == state + [40])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: listed.last!.path))
        bytes[5000] ^= 1
        try bytes.write(to: URL(fileURLWithPath: listed.last!.path))
        let error = try #require(throws: JournalError.self) { try SnapshotStore.load(listed.last!.path) }
        #expect(error.code == .corrupt)
        _ = FileManager.default.createFile(
            atPath: folder.path + "/" + SnapshotStore.name(seq: 50) + ".tmp", contents: Data([1]))
        try SnapshotStore.prune(folder.path, keep: 2)
        #expect(try SnapshotStore.list(folder.path).map(\.seq) == [30, 40])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
    }

    @Test("retention archives or deletes the segments a snapshot covers, never the last one")
    func retention() throws {
        let folder = TemporaryFolder()
        try JournalFixture.write(count: 300, batch: 10, segmentBytes: 2_000, into: folder.path)
        let before = JournalFixture.segments(folder.path)
        #expect(try Retention.keep.apply(journalFolder: folder.path, snapshotSeq: 300).isEmpty)
        let archived = try Retention.archive(folder.path + "/archive").apply(
            journalFolder: folder.path, snapshotSeq: 150)
        #expect(!archived.isEmpty)
        // What is left still reads from record 151 on.
        let summary = try JournalFixture.readBack(folder.path, after: 150)
        #expect(summary.lastSeq == 300)
        let deleted = try Retention.delete.apply(journalFolder: folder.path, snapshotSeq: 300)
        #expect(JournalFixture.segments(folder.path) == [before.last!])
        #expect(!deleted.contains(before.last!))
    }

    /// The offset of record `seq` in its segment.
    private func offsetOfRecord(_ seq: UInt64, in folder: String) throws -> Int {
        let segment = JournalFixture.segments(folder).last!
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        var offset = Segment.headerSize
        while offset < bytes.count {
            let record = try #require(bytes.withUnsafeBytes { JournalRecord.read($0, at: offset) })
            if record.seq == seq { return offset }
            offset += record.size
        }
        Issue.record("record \(seq) not found")
        return 0
    }
}

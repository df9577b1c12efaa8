/// The long object keys the parser gives out without building a string. Swift keeps strings of up
/// to 15 UTF-8 bytes inline; a longer key (`workerGroupSpecs`, `app.kubernetes.io/name`) needs an
/// allocation, and every copy and free of it counts references. A known one comes out as a string
/// literal instead, which costs nothing to copy or free. Shorter keys are not looked up: interning
/// them too saved only 3,400 instructions a review, for a table three times the size.
///
/// Immutable after init; lookups read raw memory so that the parser's inner loop does no
/// reference counting.
final class JSONKeyTable: @unchecked Sendable {
    static let shared = JSONKeyTable(knownKeys)

    /// A key's first and last eight bytes and its length: the whole key up to 16 bytes.
    struct Fingerprint: Equatable {
        var length: Int
        var head: UInt64
        var tail: UInt64

        /// Mixes the fingerprint; equal keys give equal hashes, whichever way they were read.
        var hash: UInt64 {
            let mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)
            return mixed ^ (mixed >> 31)
        }
    }

    private struct Entry {
        var fingerprint: Fingerprint
        var offset: Int
        var key: String
    }

    private let entries: UnsafeMutableBufferPointer<Entry>
    /// Open addressing: an entry's index + 1, or 0 for an empty slot.
    private let slots: UnsafeMutableBufferPointer<UInt16>
    private let slotMask: Int
    private let slotShift: UInt64
    /// Every key's bytes, one after another, for comparing keys longer than 16 bytes.
    private let pool: UnsafeMutableBufferPointer<UInt8>

    /// Keys of at least this many UTF-8 bytes are looked up.
    static let minimumLength = 16

    /// Keys that are shorter than `minimumLength`, repeated, or beyond the table's 65 535 entries
    /// are left out.
    init(_ keys: [String]) {
        var unique: [String] = []
        var seen: Set<String> = []
        for key in keys
        where key.utf8.count >= Self.minimumLength && unique.count < Int(UInt16.max) && seen.insert(key).inserted {
            unique.append(key)
        }
        var slotCount = 16
        while slotCount < unique.count * 2 { slotCount *= 2 }
        slotMask = slotCount - 1
        slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0)
        entries = .allocate(capacity: unique.count)
        pool = .allocate(capacity: unique.reduce(0) { $0 + $1.utf8.count })
        var offset = 0
        for (index, key) in unique.enumerated() {
            let bytes = Array(key.utf8)
            let fingerprint = bytes.withUnsafeBufferPointer { Self.fingerprint($0) }
            _ = UnsafeMutableBufferPointer(rebasing: pool[offset..<offset + bytes.count]).initialize(from: bytes)
            entries.initializeElement(at: index, to: Entry(fingerprint: fingerprint, offset: offset, key: key))
            offset += bytes.count
            var slot = Int(truncatingIfNeeded: fingerprint.hash >> slotShift)
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = UInt16(index + 1)
        }
    }

    deinit {
        entries.deinitialize()
        entries.deallocate()
        slots.deallocate()
        pool.deallocate()
    }

    var count: Int { entries.count }

    /// The interned key equal to `bytes`, if it is known; `fingerprint` is theirs.
    @inline(__always)
    func key(_ bytes: UnsafeBufferPointer<UInt8>, fingerprint: Fingerprint) -> String? {
        bytes.count >= Self.minimumLength ? lookUp(bytes, fingerprint: fingerprint) : nil
    }

    private func lookUp(_ bytes: UnsafeBufferPointer<UInt8>, fingerprint: Fingerprint) -> String? {
        guard let base = entries.baseAddress else { return nil }
        var slot = Int(truncatingIfNeeded: fingerprint.hash >> slotShift)
        while true {
            let index = Int(slots[slot])
            if index == 0 { return nil }
            let entry = base + (index - 1)
            if entry.pointee.fingerprint == fingerprint, middleMatches(bytes, at: entry.pointee.offset) {
                return entry.pointee.key
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Bytes 8 to length − 8, which the fingerprint leaves out of keys longer than 16 bytes.
    private func middleMatches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let length = bytes.count
        guard length > 16, let base = bytes.baseAddress, let poolBase = pool.baseAddress else { return true }
        for index in 8..<length - 8 where base[index] != poolBase[offset + index] { return false }
        return true
    }

    /// The fingerprint of a key held in `bytes`.
    @inline(__always)
    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> Fingerprint {
        fingerprint(bytes, readableAfter: 0)
    }

    /// The fingerprint of `bytes` when `readableAfter` more bytes follow them in memory: a key
    /// under 8 bytes is then read as one word, masked, instead of byte by byte.
    @inline(__always)
    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>, readableAfter: Int) -> Fingerprint {
        let length = bytes.count
        guard let base = bytes.baseAddress else { return Fingerprint(length: 0, head: 0, tail: 0) }
        let raw = UnsafeRawPointer(base)
        if length >= 8 {
            return Fingerprint(
                length: length,
                head: UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)),
                tail: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)))
        }
        if length + readableAfter >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            return Fingerprint(length: length, head: word & ((1 << UInt64(length * 8)) &- 1), tail: 0)
        }
        var head: UInt64 = 0
        for index in 0..<length { head |= UInt64(base[index]) << UInt64(index * 8) }
        return Fingerprint(length: length, head: head, tail: 0)
    }
}

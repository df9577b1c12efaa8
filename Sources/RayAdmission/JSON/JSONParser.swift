/// Parses RFC 8259 JSON from bytes into a `JSONValue`, strictly: UTF-8 validated, numbers kept as
/// text, duplicate keys rejected (two readers of one document must never disagree), and nesting
/// bounded so that hostile input gets an error instead of exhausting the stack.
public struct JSONParser: Sendable {
    /// Kubernetes objects nest a few dozen levels; 512 leaves ample room and bounds recursion.
    public static let defaultMaximumDepth = 512

    public var maximumDepth: Int
    /// Members checked but not built (none by default).
    public var skipping: JSONSkippedMembers

    public init(
        maximumDepth: Int = JSONParser.defaultMaximumDepth, skipping: JSONSkippedMembers = JSONSkippedMembers([])
    ) {
        self.maximumDepth = maximumDepth
        self.skipping = skipping
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseBuffer(buffer)
        }
        return try (result ?? Array(bytes).withUnsafeBufferPointer { parseBuffer($0) }).get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in parseBuffer(buffer) }.get()
    }

    private func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var reader = JSONReader(bytes: buffer, maximumDepth: maximumDepth)
        do throws(JSONParseError) {
            reader.skipWhitespace()
            guard reader.position < buffer.count else { throw reader.error(.empty) }
            let value = try reader.readValue(depth: 0, skipping: skipping.isEmpty ? nil : skipping)
            reader.skipWhitespace()
            guard reader.position == buffer.count else { throw reader.error(.trailingData) }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// The cursor over one input; kept separate so the public parser stays a plain value.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    let keys = JSONKeyTable.shared
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    func error(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return JSONParseError(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        return bytes[position]
    }

    mutating func expect(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error(.invalidLiteral) }
        let start = literal.utf8Start
        for index in 0..<count where bytes[position + index] != start[index] {
            throw error(.invalidLiteral)
        }
        position += count
    }

    mutating func readValue(depth: Int, skipping: JSONSkippedMembers? = nil) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return .object(try readObject(depth: depth + 1, skipping: skipping))
        case UInt8(ascii: "["): return .array(try readArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        case let byte:
            throw error(.unexpectedByte(byte))
        }
    }

    mutating func readObject(depth: Int, skipping: JSONSkippedMembers?) throws(JSONParseError) -> JSONObject {
        guard depth <= maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        position += 1  // {
        var members: [JSONObject.Member] = []
        // Past a handful of members a set keeps duplicate detection linear on hostile input.
        var seenKeys: Set<String>? = nil
        var seenHashBits: UInt64 = 0
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return JSONObject(uniqueMembers: members)
        }
        // Kubernetes objects mostly hold a few members: one allocation, not four regrowths.
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            let keyOffset = position
            guard try peek() == UInt8(ascii: "\"") else { throw error(.unexpectedByte(bytes[position])) }
            let (key, hash) = try readKey()
            if members.count < 16 {
                // A bit per key hash: only a key whose bit is taken already is compared with the
                // others, which is rare with a few members.
                let bit: UInt64 = 1 << (hash & 63)
                if seenHashBits & bit != 0 {
                    let length = key.utf8.count
                    if members.contains(where: { $0.key.utf8.count == length && $0.key == key }) {
                        throw error(.duplicateKey(key), at: keyOffset)
                    }
                }
                seenHashBits |= bit
            } else {
                if seenKeys == nil { seenKeys = Set(members.map(\.key)) }
                if seenKeys?.insert(key).inserted == false { throw error(.duplicateKey(key), at: keyOffset) }
            }
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw error(.unexpectedByte(colon)) }
            position += 1
            skipWhitespace()
            // Only objects on a skipped path look their keys up.
            let below = skipping?.member(key)
            if let below, below.isSkipped {
                try skipValue(depth: depth)
            } else {
                let value = try readValue(depth: depth, skipping: below)
                members.append(JSONObject.Member(key: key, value: value))
            }
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return JSONObject(uniqueMembers: members)
            case let byte:
                throw error(.unexpectedByte(byte))
            }
        }
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> [JSONValue] {
        guard depth <= maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        elements.reserveCapacity(4)
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return elements
            case let byte:
                throw error(.unexpectedByte(byte))
            }
        }
    }

    mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        JSONNumber(validatedText: String(decoding: try scanNumber(), as: UTF8.self))
    }

    /// Moves past a number and returns its text, checked against the grammar.
    mutating func scanNumber() throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        guard JSONNumber.isValidNumber(slice) else { throw error(.invalidNumber, at: start) }
        return slice
    }

    /// Moves past one value, checking it as `readValue` would (grammar, strings, numbers, depth)
    /// but building nothing. `depth` is that of the object holding the value.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try skipContainer(depth: depth + 1, closing: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["):
            try skipContainer(depth: depth + 1, closing: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try expect("true")
        case UInt8(ascii: "f"):
            try expect("false")
        case UInt8(ascii: "n"):
            try expect("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case let byte:
            throw error(.unexpectedByte(byte))
        }
    }

    private mutating func skipContainer(depth: Int, closing: UInt8, keyed: Bool) throws(JSONParseError) {
        guard depth <= maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        position += 1  // { or [
        skipWhitespace()
        if try peek() == closing {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            if keyed {
                guard try peek() == UInt8(ascii: "\"") else { throw error(.unexpectedByte(bytes[position])) }
                try skipString()
                skipWhitespace()
                let colon = try peek()
                guard colon == UInt8(ascii: ":") else { throw error(.unexpectedByte(colon)) }
                position += 1
                skipWhitespace()
            }
            try skipValue(depth: depth)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
            case closing:
                position += 1
                return
            case let byte:
                throw error(.unexpectedByte(byte))
            }
        }
    }

    /// Moves past a string. Plain ASCII (nearly every key and value) is settled by the scan; a
    /// string with escapes or other bytes goes through `readString`, which checks them, and is
    /// dropped.
    private mutating func skipString() throws(JSONParseError) {
        let (stop, isASCII) = scanString(from: position + 1)
        if isASCII, stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") {
            position = stop + 1
            return
        }
        _ = try readString()
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    /// Scans a string's bytes from `start` to the first quote, backslash or control character.
    /// Pure ASCII (almost every Kubernetes string) needs no UTF-8 check afterwards.
    @inline(__always)
    func scanString(from start: Int) -> (stop: Int, isASCII: Bool) {
        // A local cursor and one combined test per byte: this loop sees most of every document.
        var index = start
        let end = bytes.count
        var highBits: UInt8 = 0
        // Eight bytes at a time while none of them is a quote, a backslash, a control character
        // or non-ASCII (the classic "has a zero byte" tests on the XORed word). A test can flag
        // bytes above a real find, never below one, so the lowest flagged byte is the first
        // that stops the scan: the byte loop below starts there, not at the word's start.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= end {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quotes = word ^ (ones &* 0x22)
                let backslashes = word ^ (ones &* 0x5C)
                let special =
                    ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                    | ((word &- ones &* 0x20) & ~word)
                let stops = (special | word) & highs
                if stops != 0 {
                    index += stops.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
        }
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highBits |= byte
            index += 1
        }
        return (index, highBits < 0x80)
    }

    /// A string of ASCII bytes, already checked. Built in place: `String(decoding:)` would scan
    /// the bytes for non-ASCII again before copying them.
    @inline(__always)
    func asciiString(_ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        return String(unsafeUninitializedCapacity: slice.count) { buffer in
            _ = buffer.initialize(from: slice)
            return slice.count
        }
    }

    mutating func readString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        let (stop, isASCII) = scanString(from: start)
        position = stop
        if stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") {
            position += 1
            if isASCII { return asciiString(start..<stop) }
            guard let string = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
            else {
                throw error(.invalidUTF8, at: start)
            }
            return string
        }
        return try readEscapedString(from: start)
    }

    /// The rest of a string that holds an escape (or ends early), from its first byte at `start`;
    /// `position` is where the plain scan stopped.
    private mutating func readEscapedString(from start: Int) throws(JSONParseError) -> String {
        if position < bytes.count, bytes[position] < 0x20 { throw error(.controlCharacterInString) }
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: decoded, as: UTF8.self) else {
                    throw error(.invalidUTF8, at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw error(.controlCharacterInString)
            default:
                decoded.append(byte)
                position += 1
            }
        }
    }

    /// An object key, interned when it is a known long one, and its hash for duplicate detection:
    /// equal keys have equal hashes however they were written (`"a"`, `"\u0061"`).
    mutating func readKey() throws(JSONParseError) -> (key: String, hash: UInt64) {
        let start = position + 1
        let (stop, isASCII) = scanString(from: start)
        if isASCII, stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") {
            position = stop + 1
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<stop])
            // The closing quote follows, so at least one more byte is readable.
            let fingerprint = JSONKeyTable.fingerprint(slice, readableAfter: bytes.count - stop)
            let key = keys.key(slice, fingerprint: fingerprint) ?? asciiString(start..<stop)
            return (key, fingerprint.hash)
        }
        var key = try readString()
        let hash = key.withUTF8 { JSONKeyTable.fingerprint($0).hash }
        return (key, hash)
    }

    mutating func readEscape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let escape = try peek()
        position += 1
        switch escape {
        case UInt8(ascii: "\""): decoded.append(0x22)
        case UInt8(ascii: "\\"): decoded.append(0x5C)
        case UInt8(ascii: "/"): decoded.append(0x2F)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error(.invalidUnicodeEscape) }
                position += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error(.invalidUnicodeEscape) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error(.invalidUnicodeEscape)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error(.invalidUnicodeEscape) }
            UTF8.encode(unicode) { decoded.append($0) }
        default:
            throw error(.invalidEscape, at: position - 1)
        }
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

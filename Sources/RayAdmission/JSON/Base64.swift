/// Standard base64 (RFC 4648 §4, with padding) of bytes, for the response's `patch` field.
enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    static func encodedCount(_ byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    /// Appends the encoding of `bytes` to `output`, written in place: every patched response
    /// carries one, and appending byte by byte cost more than making the patch.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let start = output.count
        let length = encodedCount(bytes.count)
        guard length > 0 else { return }
        output.append(contentsOf: repeatElement(0, count: length))
        output.withUnsafeMutableBufferPointer { buffer in
            let table = alphabet.utf8Start
            var write = start
            var index = 0
            let whole = bytes.count - bytes.count % 3
            while index < whole {
                let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                buffer[write] = table[Int(chunk >> 18 & 63)]
                buffer[write + 1] = table[Int(chunk >> 12 & 63)]
                buffer[write + 2] = table[Int(chunk >> 6 & 63)]
                buffer[write + 3] = table[Int(chunk & 63)]
                index += 3
                write += 4
            }
            let remaining = bytes.count - index
            guard remaining > 0 else { return }
            let chunk = UInt32(bytes[index]) << 16 | (remaining == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            buffer[write] = table[Int(chunk >> 18 & 63)]
            buffer[write + 1] = table[Int(chunk >> 12 & 63)]
            buffer[write + 2] = remaining == 2 ? table[Int(chunk >> 6 & 63)] : UInt8(ascii: "=")
            buffer[write + 3] = UInt8(ascii: "=")
        }
    }

    static func encode(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { encode($0, into: &output) }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        encode(bytes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

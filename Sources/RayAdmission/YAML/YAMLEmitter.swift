/// Writes a `JSONValue` as block-style YAML that reads back (with `YAMLDocumentReader`) as the same
/// value: key order kept, numbers as their text, strings quoted whenever YAML would read them as
/// something else, multi-line strings as literal blocks.
public struct YAMLEmitter: Sendable {
    public init() {}

    public func emit(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let object) where !object.isEmpty:
            writeMapping(object, indent: 0, into: &out)
        case .array(let array) where !array.isEmpty:
            writeSequence(array, indent: 0, into: &out)
        default:
            out += inline(value, indent: 0) + "\n"
        }
        return out
    }

    private func writeMapping(_ object: JSONObject, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for member in object {
            out += pad + scalarString(member.key) + ":"
            writeValue(member.value, indent: indent, into: &out)
        }
    }

    private func writeSequence(_ array: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for element in array {
            out += pad + "-"
            switch element {
            case .object(let object) where !object.isEmpty:
                // The first member on the dash's line, the rest aligned under it.
                var nested = ""
                writeMapping(object, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                out += "\n"
                writeSequence(inner, indent: indent + 2, into: &out)
            default:
                out += " " + inline(element, indent: indent + 2) + "\n"
            }
        }
    }

    /// After `key:`: a nested block on the next lines, or a scalar on the same line.
    private func writeValue(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            out += "\n"
            writeMapping(object, indent: indent + 2, into: &out)
        case .array(let array) where !array.isEmpty:
            out += "\n"
            writeSequence(array, indent: indent, into: &out)
        default:
            out += " " + inline(value, indent: indent + 2) + "\n"
        }
    }

    private func inline(_ value: JSONValue, indent: Int) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .number(let number): return number.text
        case .object: return "{}"
        case .array: return "[]"
        case .string(let string):
            if let block = literalBlock(string, indent: indent) { return block }
            return scalarString(string)
        }
    }

    /// A multi-line string as `|`, `|-` or `|+`, when its lines allow it (no leading blank, no
    /// carriage returns or tabs, which a block would change).
    private func literalBlock(_ string: String, indent: Int) -> String? {
        guard string.contains("\n"), !string.contains("\r"), !string.contains("\t"),
            let first = string.first, first != " ", first != "\n"
        else { return nil }
        var body = Substring(string)
        let chomp: String
        if body.hasSuffix("\n\n") {
            chomp = "+"
        } else if body.hasSuffix("\n") {
            chomp = ""
        } else {
            chomp = "-"
        }
        if chomp != "+" { while body.hasSuffix("\n") { body = body.dropLast() } } else { body = body.dropLast() }
        let pad = String(repeating: " ", count: indent)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        return "|" + chomp + "\n" + lines.joined(separator: "\n")
    }

    /// Plain when YAML reads the text back as this same string, double-quoted (JSON escapes are
    /// valid YAML) otherwise.
    func scalarString(_ string: String) -> String {
        if isPlainSafe(string) { return string }
        return JSONValue.string(string).jsonString
    }

    private func isPlainSafe(_ string: String) -> Bool {
        guard let first = string.utf8.first, let last = string.utf8.last else { return false }
        // Characters that start YAML syntax, or that a plain scalar cannot begin or end with.
        let badFirst: Set<UInt8> = Set("-?:,[]{}#&*!|>'\"%@` ".utf8)
        guard !badFirst.contains(first), last != UInt8(ascii: " "), last != UInt8(ascii: ":") else { return false }
        for byte in string.utf8 {
            guard byte >= 0x20, byte < 0x7F else { return false }
        }
        guard !string.contains(": "), !string.contains(" #"), !string.contains(",") || !string.contains("{"),
            !string.contains("[") && !string.contains("]") && !string.contains("{") && !string.contains("}")
        else { return false }
        // Text YAML would resolve to a number, boolean or null must be quoted.
        guard let reread = try? YAMLDocumentReader().readSingle("k: " + string), reread["k"] == .string(string)
        else { return false }
        return true
    }
}

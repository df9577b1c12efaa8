import Yams

/// Reads YAML (manifests, policy files, `serveConfigV2`) into `JSONValue`s the way kubectl turns
/// YAML into JSON: mappings keep their key order, scalars resolve by YAML's core rules, numbers
/// become their JSON text. Expansion is bounded, so alias bombs fail instead of exhausting memory.
public struct YAMLDocumentReader: Sendable {
    /// Upper bound on values produced per document, aliases expanded.
    public var maximumNodes: Int
    public var maximumDepth: Int

    public init(maximumNodes: Int = 1_000_000, maximumDepth: Int = 256) {
        self.maximumNodes = maximumNodes
        self.maximumDepth = maximumDepth
    }

    public func read(_ yaml: String) throws(YAMLReadError) -> [YAMLDocument] {
        var documents: [YAMLDocument] = []
        try YAMLShapeCheck.check(yaml, maximumDepth: maximumDepth)
        do {
            let stream = try Yams.compose_all(yaml: yaml)
            var iterator = stream.makeIterator()
            while let node = iterator.next() {
                var budget = maximumNodes
                let value = try convert(node, depth: 0, budget: &budget)
                documents.append(
                    YAMLDocument(
                        index: documents.count, line: (node.mark?.line ?? 0), value: value.isNull ? nil : value))
            }
            if let error = iterator.error { throw Self.readError(error) }
        } catch let error as YAMLReadError {
            throw error
        } catch {
            throw Self.readError(error)
        }
        return documents
    }

    /// Reads a stream that must hold exactly one document.
    public func readSingle(_ yaml: String) throws(YAMLReadError) -> JSONValue {
        let documents = try read(yaml)
        guard documents.count <= 1 else {
            throw YAMLReadError(message: "expected one YAML document, found \(documents.count)", line: 0, column: 0)
        }
        return documents.first?.value ?? .null
    }

    private func convert(_ node: Node, depth: Int, budget: inout Int) throws -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw YAMLReadError(
                message: "document expands to more than \(maximumNodes) values (alias expansion?)",
                line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        }
        guard depth <= maximumDepth else {
            throw YAMLReadError(
                message: "nesting deeper than \(maximumDepth) levels", line: node.mark?.line ?? 0,
                column: node.mark?.column ?? 0)
        }
        switch node {
        case .scalar(let scalar):
            return try Self.scalarValue(scalar)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence {
                elements.append(try convert(element, depth: depth + 1, budget: &budget))
            }
            return .array(elements)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                let keyText: String
                switch key {
                case .scalar(let scalar): keyText = scalar.string
                default:
                    throw YAMLReadError(
                        message: "mapping keys must be scalars", line: key.mark?.line ?? 0,
                        column: key.mark?.column ?? 0)
                }
                if object.contains(keyText) {
                    throw YAMLReadError(
                        message: "duplicate key \"\(keyText.prefix(64))\"", line: key.mark?.line ?? 0,
                        column: key.mark?.column ?? 0)
                }
                object[keyText] = try convert(value, depth: depth + 1, budget: &budget)
            }
            return .object(object)
        case .alias(let alias):
            throw YAMLReadError(
                message: "unresolved alias *\(alias.anchor)", line: alias.mark?.line ?? 0,
                column: alias.mark?.column ?? 0)
        }
    }

    static func scalarValue(_ scalar: Node.Scalar) throws -> JSONValue {
        let text = scalar.string
        // Quoted and block scalars are always strings, whatever they look like.
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        let tag = Tag.Name(rawValue: Node.scalar(scalar).tag.rawValue)
        // YAML 1.1's base-60 numbers (`1:30`): kubectl's YAML reader takes them as strings, and
        // Yams multiplies them out with trapping arithmetic (a fuzzer found `22:22:23:…` crash it).
        if tag == .int || tag == .float, text.utf8.contains(UInt8(ascii: ":")) {
            return .string(text)
        }
        switch tag {
        case .null:
            return .null
        case .bool:
            return .bool(["true", "yes", "on", "y"].contains(text.lowercased()))
        case .int:
            if let number = JSONNumber(text: text) { return .number(number) }
            if let value = Int64.construct(from: scalar) { return .number(JSONNumber(value)) }
            return .string(text)
        case .float:
            if let number = JSONNumber(text: text) { return .number(number) }
            guard let value = Double.construct(from: scalar), let number = JSONNumber(value) else {
                throw YAMLReadError(
                    message: "\(text) has no JSON representation", line: scalar.mark?.line ?? 0,
                    column: scalar.mark?.column ?? 0)
            }
            return .number(number)
        default:
            return .string(text)
        }
    }

    static func readError(_ error: any Error) -> YAMLReadError {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
                let prefix = context.map { "\($0.text): " } ?? ""
                return YAMLReadError(message: prefix + problem, line: mark.line, column: mark.column)
            case .composer(let context, let problem, let mark, _):
                let prefix = context.map { "\($0.text): " } ?? ""
                return YAMLReadError(message: prefix + problem, line: mark.line, column: mark.column)
            case .duplicatedKeysInMapping(let duplicates, let context):
                return YAMLReadError(
                    message: "duplicate key " + duplicates.map { "\"\($0.prefix(64))\"" }.joined(separator: ", "),
                    line: context.mark.line, column: context.mark.column)
            case .reader(let problem, let offset, _, _):
                return YAMLReadError(message: problem + (offset.map { " at byte \($0)" } ?? ""), line: 0, column: 0)
            default:
                return YAMLReadError(message: "\(yamlError)", line: 0, column: 0)
            }
        }
        return YAMLReadError(message: "\(error)", line: 0, column: 0)
    }
}

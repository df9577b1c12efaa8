// libyaml itself, under Yams: its event stream is the one place to see the shape of a document
// before Yams builds it. (CYaml is Yams's C target; Yams is pinned, so the name holds.)
import CYaml

/// A linear pass over libyaml's events before Yams composes a stream: every mapping key must be a
/// scalar (or an alias of one), and nesting must stay within `maximumDepth`.
///
/// Yams checks each mapping for duplicate keys by hashing and sorting whole key nodes, so keys
/// that are themselves nested collections make composing superlinear: the fuzzer found 13 KB of
/// `? - - ? …` that took 0.7 s (minutes in a debug build), and larger inputs grow worse. No
/// Kubernetes manifest or policy can have such keys, since JSON has only string keys.
/// Syntax errors are left for Yams to report, with its messages.
enum YAMLShapeCheck {
    private enum Frame {
        case sequence
        case mapping(expectingKey: Bool)
    }

    static func check(_ yaml: String, maximumDepth: Int) throws(YAMLReadError) {
        var bytes = Array(yaml.utf8)
        if bytes.isEmpty { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let failure: YAMLReadError? = bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            return walk(&parser, maximumDepth: maximumDepth)
        }
        if let failure { throw failure }
    }

    private static func walk(_ parser: inout yaml_parser_t, maximumDepth: Int) -> YAMLReadError? {
        var stack: [Frame] = []
        var collectionAnchors = Set<String>()
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            var startsCollection = false
            var isComplexNode = false
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                break
            case YAML_ALIAS_EVENT:
                isComplexNode = event.data.alias.anchor.map { collectionAnchors.contains(String(cString: $0)) } ?? false
            case YAML_SEQUENCE_START_EVENT:
                startsCollection = true
                isComplexNode = true
                if let anchor = event.data.sequence_start.anchor { collectionAnchors.insert(String(cString: anchor)) }
            case YAML_MAPPING_START_EVENT:
                startsCollection = true
                isComplexNode = true
                if let anchor = event.data.mapping_start.anchor { collectionAnchors.insert(String(cString: anchor)) }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                _ = stack.popLast()
                continue
            default:
                continue
            }
            // A node begins: is it a key, and may it be one?
            if case .mapping(let expectingKey)? = stack.last {
                if expectingKey && isComplexNode {
                    return YAMLReadError(
                        message: "a mapping key must be a string, not a sequence or mapping", line: line,
                        column: column)
                }
                stack[stack.count - 1] = .mapping(expectingKey: !expectingKey)
            }
            if startsCollection {
                stack.append(event.type == YAML_MAPPING_START_EVENT ? .mapping(expectingKey: true) : .sequence)
                if stack.count > maximumDepth {
                    return YAMLReadError(
                        message: "nesting deeper than \(maximumDepth) levels", line: line, column: column)
                }
            }
        }
    }
}

/// One document of a (possibly multi-document) YAML stream, as JSON.
public struct YAMLDocument: Sendable {
    /// 0-based position in the stream.
    public let index: Int
    /// 1-based line where the document starts.
    public let line: Int
    /// Nil for an empty document (`---` with nothing after it).
    public let value: JSONValue?
}

/// Why a YAML stream could not be read, with where.
public struct YAMLReadError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// 1-based; 0 when the YAML library did not say.
    public let line: Int
    public let column: Int

    public var description: String {
        line > 0 ? "line \(line), column \(column): \(message)" : message
    }
}

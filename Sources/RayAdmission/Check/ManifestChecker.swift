/// `ray-admission check` without the files: the same policy, defaulting and validation the server
/// runs, applied to the documents of a manifest stream, as the API server would apply them (mutate
/// first, then validate the mutated object).
public struct ManifestChecker: Sendable {
    /// What one Ray resource would get at `kubectl apply`.
    public struct Report: Sendable {
        public var source: String
        /// 0-based document index in its stream, and the 1-based line it starts on.
        public var document: Int
        public var line: Int
        public var kind: RayKind
        public var name: String
        public var namespace: String
        /// True when an exemption applies: nothing was checked.
        public var exempt: Bool
        public var denials: [FieldError]
        public var warnings: [FieldError]
        public var audits: [FieldError]
        /// Warnings from defaulting (e.g. a number rewritten as a string).
        public var defaultingWarnings: [String]
        public var patch: JSONPatch
        public var defaultsApplied: [RuleID]
        /// The document as it would be stored.
        public var mutated: JSONValue

        public var allowed: Bool { denials.isEmpty }
    }

    /// Everything found in one stream.
    public struct StreamResult: Sendable {
        public var reports: [Report] = []
        /// Documents that are not Ray resources (or are empty).
        public var skipped = 0
    }

    public let engine: PolicyEngine
    /// Used when a document has no `metadata.namespace`.
    public let namespace: String
    public let operation: AdmissionOperation

    public init(
        engine: PolicyEngine = PolicyEngine(), namespace: String = "default", operation: AdmissionOperation = .create
    ) {
        self.engine = engine
        self.namespace = namespace
        self.operation = operation
    }

    public func check(yaml text: String, source: String) throws(YAMLReadError) -> StreamResult {
        var result = StreamResult()
        for document in try YAMLDocumentReader().read(text) {
            guard let object = document.value, let report = check(object, source: source, document: document)
            else {
                result.skipped += 1
                continue
            }
            result.reports.append(report)
        }
        return result
    }

    /// The stream with every Ray resource as it would be stored (defaults written), as YAML. Other
    /// documents, and the comments before each document, pass through unchanged; comments inside a
    /// Ray resource are not kept (the document is written anew).
    public func rewrite(yaml text: String, source: String) throws(YAMLReadError) -> (text: String, result: StreamResult)
    {
        var result = StreamResult()
        var output: [String] = []
        var lineOffset = 0
        for lines in Self.documentChunks(text) {
            defer { lineOffset += lines.count }
            let body = lines.joined(separator: "\n")
            let documents: [YAMLDocument]
            do {
                documents = try YAMLDocumentReader().read(body)
            } catch {
                throw YAMLReadError(message: error.message, line: error.line + lineOffset, column: error.column)
            }
            guard documents.count == 1, let document = documents.first, let object = document.value,
                let report = check(
                    object, source: source,
                    document: YAMLDocument(
                        index: result.reports.count + result.skipped, line: document.line + lineOffset, value: object))
            else {
                result.skipped += documents.isEmpty ? 0 : 1
                output.append(body)
                continue
            }
            result.reports.append(report)
            let leading = lines.prefix { line in
                let trimmed = line.drop { $0 == " " }
                return trimmed.isEmpty || trimmed.hasPrefix("#") || line.hasPrefix("---")
            }
            let emitted = YAMLEmitter().emit(report.mutated)
            output.append((leading + [String(emitted.dropLast())]).joined(separator: "\n"))
        }
        return (output.joined(separator: "\n") + (text.hasSuffix("\n") ? "\n" : ""), result)
    }

    /// The stream cut at its `---` separators, each separator line kept with the document it opens.
    static func documentChunks(_ text: String) -> [[String]] {
        var chunks: [[String]] = [[]]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        for line in lines {
            if (line == "---" || line.hasPrefix("--- ")), !(chunks.last?.isEmpty ?? true) {
                chunks.append([])
            }
            chunks[chunks.count - 1].append(line)
        }
        return chunks
    }

    /// Nil when the document is not a Ray resource.
    func check(_ object: JSONValue, source: String, document: YAMLDocument) -> Report? {
        guard let apiVersion = object["apiVersion"]?.stringValue, apiVersion.hasPrefix("ray.io/"),
            let kindText = object["kind"]?.stringValue, let kind = RayKind(rawValue: kindText)
        else { return nil }
        let metadata = object["metadata"]
        let namespace = metadata?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? self.namespace
        var report = Report(
            source: source, document: document.index, line: document.line, kind: kind,
            name: metadata?["name"]?.stringValue ?? "", namespace: namespace, exempt: false, denials: [],
            warnings: [], audits: [], defaultingWarnings: [], patch: JSONPatch(), defaultsApplied: [], mutated: object)
        // No user is known offline; namespace exemptions still apply.
        if engine.policy.isExempt(user: "", groups: [], namespace: namespace) {
            report.exempt = true
            return report
        }
        let pipeline = engine.pipeline(forNamespace: namespace)
        // An UPDATE re-applies the same document: nothing changed, so nothing new is defaulted.
        let defaulted = pipeline.defaulter.apply(
            to: object, kind: kind, operation: operation, oldObject: operation == .update ? object : nil)
        report.patch = defaulted.patch
        report.defaultsApplied = defaulted.rulesApplied
        report.defaultingWarnings = defaulted.warnings
        report.mutated = defaulted.object
        let judged = pipeline.validator.validate(
            defaulted.object, kind: kind, operation: operation,
            requestVersion: apiVersion.split(separator: "/").last.map(String.init))
        report.denials = judged.denials
        report.warnings = judged.warnings
        report.audits = judged.audits
        return report
    }
}

/// One default the mutating webhook writes. A rule reads the object through `context`, changes it
/// only through `output.document` (so every operation is recorded with the rule's id), and may
/// add warnings. It must be idempotent: run on its own output it changes nothing.
public protocol DefaultingRule: Sendable {
    var descriptor: RuleDescriptor { get }
    func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError)
}

/// What defaulting produced so far: the document with its recorded patch, and warnings.
public struct DefaultingOutput: Sendable {
    public var document: PatchingDocument
    public var warnings: [String] = []

    public init(document: PatchingDocument) {
        self.document = document
    }

    /// Runs `body` and keeps its changes only if it succeeds (they are rolled back otherwise), so
    /// that one field of the wrong type, left for validation to report, does not stop a rule's
    /// other targets.
    public mutating func attempt(_ body: (inout DefaultingOutput) throws(JSONPatchError) -> Void) {
        let checkpoint = document.checkpoint
        let warningCount = warnings.count
        do {
            try body(&self)
        } catch {
            document.rollBack(to: checkpoint)
            warnings.removeSubrange(warningCount...)
        }
    }

    /// The current value at `pointer`, earlier rules' changes included.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        document.value[pointer]
    }
}

/// What a rule may look at: the resource kind, where its cluster spec is, and which parts the
/// request changed (on UPDATE, only those get new defaults).
public struct DefaultingContext: Sendable {
    public let kind: RayKind
    public let operation: AdmissionOperation
    public let cluster: ClusterSpecLocation
    public let scope: UpdateScope

    /// The groups of the cluster spec that may receive defaults now. Found once, before any rule
    /// runs: no default adds or removes a group.
    public let groups: [GroupLocation]
    /// The namespace policy's `inject` settings (none without a policy).
    public let injection: PolicyInjection

    public init(
        kind: RayKind, operation: AdmissionOperation, scope: UpdateScope, object: JSONValue,
        injection: PolicyInjection = PolicyInjection()
    ) {
        self.injection = injection
        self.kind = kind
        self.operation = operation
        let cluster = ClusterSpecLocation.of(kind)
        self.cluster = cluster
        self.scope = scope
        self.groups = cluster.groups(in: object).filter { scope.allowsDefaults(in: $0) }
    }

    /// The annotations the cluster rules read (the parent's; none for RayCronJob).
    public func annotations(in output: DefaultingOutput) -> JSONObject {
        cluster.annotationsPointer.flatMap { output[$0]?.objectValue } ?? JSONObject()
    }
}

import RayAdmission
import Synchronization

/// The policy in force, swapped whole: a request reads one engine and keeps it to the end, so no
/// request ever sees half of an old policy and half of a new one.
public final class PolicyStore: Sendable {
    private let state: Mutex<(engine: PolicyEngine, bytes: [UInt8]?)>

    public init(_ engine: PolicyEngine, bytes: [UInt8]? = nil) {
        state = Mutex((engine, bytes))
    }

    public var current: PolicyEngine {
        state.withLock { $0.engine }
    }

    /// Swaps in `file` unless it is the one in force; returns the version it replaced.
    func replace(with file: PolicyFile) -> String? {
        state.withLock { state in
            guard state.bytes != file.bytes else { return nil }
            let previous = state.engine.version
            state = (file.engine, file.bytes)
            return previous
        }
    }

    func isCurrent(_ bytes: [UInt8]) -> Bool {
        state.withLock { $0.bytes == bytes }
    }
}

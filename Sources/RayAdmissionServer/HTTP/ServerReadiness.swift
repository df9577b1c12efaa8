import Synchronization

/// Whether the webhook can take traffic: its HTTPS listener is bound and it is not shutting down.
/// Readiness never drops because a rotated certificate failed to load, since the old one still
/// serves; that failure shows in logs and metrics instead.
public final class ServerReadiness: Sendable {
    private struct State {
        var listening = false
        var draining = false
    }

    private let state = Mutex(State())

    public init() {}

    public var notReadyReason: String? {
        state.withLock { state in
            if state.draining { return "shutting down" }
            if !state.listening { return "HTTPS listener not started" }
            return nil
        }
    }

    func markListening() {
        state.withLock { $0.listening = true }
    }

    func markDraining() {
        state.withLock { $0.draining = true }
    }
}

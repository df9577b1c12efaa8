import ServiceLifecycle

/// Runs `look` every `interval` until the task is cancelled or graceful shutdown begins: the loop
/// both file watchers (certificate, policy) share. Polling compares file bytes, which also sees the
/// symlink swap a Kubernetes Secret or ConfigMap volume makes. Graceful shutdown ends the wait at
/// once, so a watcher never adds its interval to the time SIGTERM takes.
func poll(every interval: Duration, _ look: () -> Void) async {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
        look()
    }
}

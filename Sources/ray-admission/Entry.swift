import Foundation
import NIOCore
import NIOPosix
import RayAdmissionServer

@main
enum Entry {
    static func main() async {
        // One event loop per core the process may use (NIO misses CPU affinity); the variable
        // NIO itself reads still wins.
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil {
            NIOSingletons.groupLoopCountSuggestion = UsableCores.count()
        }
        // Run Swift concurrency on NIO's event loop threads: a request's handler then continues
        // on the thread that read it instead of hopping to the global pool and back.
        let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        if !installed { print("note: Swift concurrency runs on its own thread pool") }
        await RayAdmissionCommand.main()
    }
}

import NIOCore
import NIOPosix

@main
enum Entry {
    static func main() async {
        // Run Swift concurrency on NIO's event loop threads: a request's handler then continues
        // on the thread that read it instead of hopping to the global pool and back.
        let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        if !installed { print("note: Swift concurrency runs on its own thread pool") }
        await RayAdmissionCommand.main()
    }
}

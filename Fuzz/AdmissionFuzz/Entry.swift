#if FUZZING
    /// libFuzzer's entry points (built with `-sanitize=fuzzer`; `Fuzz/fuzz.sh` does it). SwiftPM links
    /// an executable's `main` to `<module>_main`, so that is where libFuzzer's driver is started.
    let harness = FuzzHarness()

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let data else { return 0 }
        harness.exercise(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: FuzzCallback
    ) -> CInt

    @_cdecl("ray_admission_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzzOneInput)
    }
#else
    import Foundation

    /// Without the fuzzer: replays the files and directories given (the kept corpus and every crash
    /// reproducer) through the same harness; the tests run it, so each stays a regression test.
    @main
    struct CorpusReplay {
        static func main() throws {
            let harness = FuzzHarness()
            var count = 0
            for argument in CommandLine.arguments.dropFirst() {
                for path in try files(at: argument) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                    bytes.withUnsafeBytes { harness.exercise($0) }
                    count += 1
                }
            }
            print("replayed \(count) inputs")
        }

        static func files(at path: String) throws -> [String] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            guard isDirectory.boolValue else { return [path] }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            return try names.filter { !$0.hasPrefix(".") }.flatMap { try files(at: path + "/" + $0) }
        }
    }
#endif

import Foundation
import Testing

/// The fuzzer's kept corpus and every crash reproducer it ever saved, replayed through the same
/// harness (`ray-admission-fuzz` built without the fuzzer), so each stays a regression test.
struct FuzzCorpusTests {
    @Test func theKeptCorpusAndEveryReproducerReplayWithoutATrap() async throws {
        let root = SecurityTests.root
        let replayer = try ServeProcess.executableURL.deletingLastPathComponent()
            .appendingPathComponent("ray-admission-fuzz")
        let corpus = root.appendingPathComponent("Fuzz/corpus").path
        let crashers = root.appendingPathComponent("Fuzz/crashers").path
        let visible = { (path: String) in
            try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.count
        }
        let corpusInputs = try visible(corpus)
        let reproducers = try visible(crashers)
        #expect(corpusInputs > 100, "the corpus has \(corpusInputs) inputs")
        #expect(reproducers >= 4, "the reproducers are kept")

        let process = Process()
        process.executableURL = replayer
        process.arguments = [corpus, crashers]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(2000))")
        #expect(text.contains("replayed \(corpusInputs + reproducers) inputs"), "\(text.suffix(500))")
    }
}

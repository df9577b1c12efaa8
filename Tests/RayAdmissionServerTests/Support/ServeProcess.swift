import Foundation
import RayAdmission
import Synchronization
import Testing

/// The built `ray-admission` executable, run as a child process with JSON logs on stdout.
final class ServeProcess: Sendable {
    let process: Process
    private let output = OutputBuffer()
    private let outputPipe = Pipe()

    /// `RAY_ADMISSION_BINARY` runs another build (the soak script points it at the release one).
    static var executableURL: URL {
        get throws {
            if let override = ProcessInfo.processInfo.environment["RAY_ADMISSION_BINARY"] {
                return URL(fileURLWithPath: override)
            }
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                Bundle.main.bundleURL,
                Bundle.main.bundleURL.deletingLastPathComponent(),
            ]
            for directory in candidates {
                let url = directory.appendingPathComponent("ray-admission")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw TestFailure("ray-admission executable not found next to \(CommandLine.arguments[0])")
        }
    }

    /// Runs `ray-admission arguments…`; `input`, when given, is its standard input.
    init(arguments: [String], input: String? = nil) throws {
        process = Process()
        process.executableURL = try Self.executableURL
        process.arguments = arguments
        let pipe = outputPipe
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            output.append(handle.availableData)
        }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
    }

    var text: String {
        output.text
    }

    /// `serve` on free loopback ports with a generated certificate: the process, its ports and
    /// the CA to trust. The caller removes `devDirectory`.
    static func serving(_ extraArguments: [String] = []) async throws -> Serving {
        let devDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ray-admission-dev-\(UUID())")
            .path
        let process = try ServeProcess(
            arguments: [
                "serve", "--bind", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--dev-cert-dir", devDirectory,
                "--log-format", "json",
            ] + extraArguments)
        let port = try await process.port(of: "admission server listening (HTTPS)")
        let metricsPort = try await process.port(of: "operations server listening (HTTP: /healthz /readyz /metrics)")
        let ca = try String(contentsOfFile: devDirectory + "/ca.crt", encoding: .utf8)
        return Serving(
            process: process, port: port, metricsPort: metricsPort, caPEM: ca, devDirectory: devDirectory)
    }

    struct Serving {
        let process: ServeProcess
        let port: Int
        let metricsPort: Int
        let caPEM: String
        let devDirectory: String
        var baseURL: String { "https://127.0.0.1:\(port)" }
    }

    /// Resident memory of the process, from /proc, in bytes.
    var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap {
            Int($0)
        }
        return kilobytes.map { $0 * 1024 }
    }

    /// The JSON log lines printed so far.
    var logLines: [JSONValue] {
        text.split(separator: "\n").compactMap { try? JSONParser().parse(String($0)) }
    }

    /// Waits for a log line with `message`, returning it.
    func waitForLog(_ message: String, timeout: Duration = .seconds(30)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = logLines.first(where: { $0["message"]?.stringValue == message }) { return line }
            guard process.isRunning else { throw TestFailure("ray-admission exited early:\n\(text)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no log line \"\(message)\" within \(timeout):\n\(text)")
    }

    func port(of message: String) async throws -> Int {
        let line = try await waitForLog(message)
        guard let port = line["port"]?.stringValue.flatMap(Int.init) else { throw TestFailure("no port in \(line)") }
        return port
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw TestFailure("ray-admission did not exit within \(timeout):\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // What the handler has not delivered yet: the pipe's writers are gone, so this ends.
        outputPipe.fileHandleForReading.readabilityHandler = nil
        output.append(outputPipe.fileHandleForReading.readDataToEndOfFile())
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Bytes a child process has printed, appended from the pipe's handler thread.
final class OutputBuffer: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func append(_ data: Data) {
        bytes.withLock { $0.append(contentsOf: data) }
    }

    var text: String {
        bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }
}

import ArgumentParser
import Foundation
import RayAdmission
import RayAdmissionServer

/// `ray-admission check`: the server's pipeline over manifest files, for pre-merge CI and GitOps.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Default and validate Ray resources in manifest files, as the webhook would at kubectl apply.",
        discussion: """
            PATHs are files, directories (searched for *.yaml, *.yml and *.json) or - for standard input. \
            Documents that are not Ray resources are skipped and counted. Exit status: 0 clean (warnings \
            allowed), 1 a resource would be denied (or warned about, with --fail-on warn), 2 a usage or \
            input error.
            """)

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json, yaml, patch
    }

    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case deny, warn
    }

    @Option(help: "Policy file, as for serve --policy.")
    var policy: String?

    @Option(help: "Namespace for documents that name none.")
    var namespace: String = "default"

    @Option(help: "CREATE, or UPDATE (a re-apply: nothing new is defaulted).")
    var operation: String = "CREATE"

    @OptionGroup var kuberay: KubeRayOptions

    @Option(
        help: """
            text (a report per resource), json, yaml (the documents as they would be stored: defaults written; \
            other documents and comments between documents unchanged) or patch (the JSON patches the webhook would send).
            """)
    var output: Output = .text

    @Option(help: "deny: only denials fail; warn: warnings fail too.")
    var failOn: FailOn = .deny

    @Argument(help: "Files, directories, or - for standard input.")
    var paths: [String]

    func validate() throws {
        guard ["CREATE", "UPDATE"].contains(operation.uppercased()) else {
            throw ValidationError("--operation must be CREATE or UPDATE")
        }
    }

    func run() throws {
        let release = try kuberay.release
        let crdRelease = try kuberay.crdRelease
        let parsedGates = try kuberay.gates
        if !parsedGates.unknown.isEmpty {
            printError(
                "warning: --feature-gates: \(FeatureGates.unknownGateMessage(parsedGates.unknown, release: release))")
        }
        let gates = parsedGates.gates
        var engine = PolicyEngine(featureGates: gates, crdRelease: crdRelease)
        if let policy {
            do {
                let file = try PolicyFile.load(path: policy, featureGates: gates, crdRelease: crdRelease)
                for warning in file.warnings { printError("warning: \(warning)") }
                engine = file.engine
            } catch {
                printError("invalid policy: \(error)")
                throw ExitCode(2)
            }
        }
        let checker = ManifestChecker(
            engine: engine, namespace: namespace, operation: operation.uppercased() == "UPDATE" ? .update : .create)
        var reports: [ManifestChecker.Report] = []
        var skipped = 0
        var inputErrors = 0
        let files = collectFiles(&inputErrors)
        for file in files {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else if let data = FileManager.default.contents(atPath: file) {
                text = String(decoding: data, as: UTF8.self)
            } else {
                printError("\(file): cannot read")
                inputErrors += 1
                continue
            }
            do {
                let source = file == "-" ? "<stdin>" : file
                if output == .yaml {
                    let (rewritten, result) = try checker.rewrite(yaml: text, source: source)
                    if file != files.first { print("---") }
                    print(rewritten, terminator: "")
                    reports += result.reports
                    skipped += result.skipped
                } else {
                    let result = try checker.check(yaml: text, source: source)
                    reports += result.reports
                    skipped += result.skipped
                }
            } catch {
                printError("\(file):\(error.line):\(error.column): \(error.message)")
                inputErrors += 1
            }
        }
        switch output {
        case .text: printText(reports, files: files.count, skipped: skipped)
        case .json: print(json(reports, skipped: skipped).jsonString)
        case .patch: printPatches(reports)
        case .yaml:
            // The documents went to standard output; what was denied goes to standard error.
            for report in reports where !report.allowed {
                for denial in report.denials {
                    printError("\(report.source):\(report.line) \(report.kind.rawValue)/\(report.name): \(denial)")
                }
            }
        }
        if inputErrors > 0 { throw ExitCode(2) }
        let failed = reports.contains { !$0.allowed || (failOn == .warn && !$0.warnings.isEmpty) }
        if failed { throw ExitCode(1) }
    }

    // MARK: inputs

    func collectFiles(_ errors: inout Int) -> [String] {
        var files: [String] = []
        for path in paths {
            if path == "-" {
                files.append(path)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                printError("\(path): no such file or directory")
                errors += 1
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let relative = enumerator?.nextObject() as? String {
                if [".yaml", ".yml", ".json"].contains(where: relative.hasSuffix) {
                    found.append((path as NSString).appendingPathComponent(relative))
                }
            }
            files += found.sorted()
        }
        return files
    }

    // MARK: outputs

    var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func printText(_ reports: [ManifestChecker.Report], files: Int, skipped: Int) {
        for report in reports {
            let verdict =
                report.exempt
                ? paint("exempt", "2") : report.allowed ? paint("allowed", "32") : paint("denied", "31;1")
            print(
                "\(report.source):\(report.line) \(report.kind.rawValue)/\(report.name) (namespace \(report.namespace)): \(verdict)"
            )
            for (errors, label, code) in [
                (report.denials, "deny ", "31"), (report.warnings, "warn ", "33"), (report.audits, "audit", "36"),
            ] {
                for error in errors {
                    print("  \(paint(label, code))  \(error.rule?.rawValue ?? "")  \(error.description)")
                }
            }
            for warning in report.defaultingWarnings {
                print("  \(paint("warn ", "33"))  \(warning)")
            }
            if !report.patch.isEmpty {
                let rules = report.defaultsApplied.map(\.rawValue).joined(separator: ", ")
                print("  \(paint("adds ", "34"))  \(report.patch.operations.count) defaults (\(rules))")
            }
        }
        let denied = reports.filter { !$0.allowed }.count
        let warned = reports.filter { !$0.warnings.isEmpty }.count
        print(
            "checked \(reports.count) Ray resources in \(files) files: \(denied) denied, \(warned) with warnings; "
                + "\(skipped) other documents skipped")
    }

    func json(_ reports: [ManifestChecker.Report], skipped: Int) -> JSONValue {
        func findings(_ errors: [FieldError]) -> JSONValue {
            .array(
                errors.map {
                    [
                        "rule": .string($0.rule?.rawValue ?? ""), "field": .string($0.field.description),
                        "message": .string($0.description),
                    ]
                })
        }
        let resources: [JSONValue] = reports.map { report in
            [
                "source": .string(report.source), "document": .number(JSONNumber(report.document)),
                "line": .number(JSONNumber(report.line)), "kind": .string(report.kind.rawValue),
                "name": .string(report.name), "namespace": .string(report.namespace), "exempt": .bool(report.exempt),
                "allowed": .bool(report.allowed), "denials": findings(report.denials),
                "warnings": findings(report.warnings), "audits": findings(report.audits),
                "defaultingWarnings": .array(report.defaultingWarnings.map(JSONValue.string)),
                "defaultsApplied": .array(report.defaultsApplied.map { .string($0.rawValue) }),
                "patch": report.patch.jsonValue,
            ]
        }
        return [
            "resources": .array(resources),
            "summary": [
                "checked": .number(JSONNumber(reports.count)),
                "denied": .number(JSONNumber(reports.filter { !$0.allowed }.count)),
                "warned": .number(JSONNumber(reports.filter { !$0.warnings.isEmpty }.count)),
                "skipped": .number(JSONNumber(skipped)),
            ],
        ]
    }

    func printPatches(_ reports: [ManifestChecker.Report]) {
        for report in reports where !report.patch.isEmpty {
            print("# \(report.source):\(report.line) \(report.kind.rawValue)/\(report.name)")
            print(report.patch.jsonValue.jsonString)
        }
    }

    func printError(_ message: String) {
        FileHandle.standardError.write(Data("ray-admission check: \(message)\n".utf8))
    }
}

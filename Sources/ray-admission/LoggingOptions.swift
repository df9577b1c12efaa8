import ArgumentParser
import Logging
import RayAdmissionServer

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

struct LoggingOptions: ParsableArguments {
    @Option(help: "Least severe level to log: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log line format: text (for people) or json (one object per line, for log pipelines).")
    var logFormat: LogFormat = .text

    /// Configures the process-wide logging backend once, from `main`, and returns the root logger.
    func bootstrap(label: String) -> Logger {
        let format = logFormat
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch format {
            case .text: handler = StreamLogHandler.standardOutput(label: label)
            case .json: handler = JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

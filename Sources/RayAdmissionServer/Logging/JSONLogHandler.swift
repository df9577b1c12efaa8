import Foundation
import Logging
import RayAdmission

/// One JSON object per line (`{"time":…,"level":…,"logger":…,"message":…,<metadata>}`), for log
/// pipelines that parse structured lines.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var object = JSONObject()
        // RFC 3339 with its zone (UTC, `Z`) and milliseconds, as log pipelines parse it.
        object["time"] = .string(Date().ISO8601Format(Self.timeFormat))
        object["level"] = .string(event.level.rawValue)
        object["logger"] = .string(label)
        object["message"] = .string("\(event.message)")
        for key in merged.keys.sorted() where object[key] == nil {
            if let value = merged[key] { object[key] = Self.json(value) }
        }
        write(JSONValue.object(object).jsonString)
    }

    static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let array): .array(array.map(json))
        case .dictionary(let dictionary):
            .object(
                JSONObject(
                    dictionary.keys.sorted().map { JSONObject.Member(key: $0, value: json(dictionary[$0] ?? "")) }))
        }
    }

    public static let standardOutput: @Sendable (String) -> Void = { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

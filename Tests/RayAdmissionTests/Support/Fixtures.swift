import Foundation
import RayAdmission
import Testing

/// The fixture files under Tests/RayAdmissionTests/Fixtures, copied from KubeRay and the bench kit.
enum Fixtures {
    static var root: URL {
        get throws {
            try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures"))
        }
    }

    static func url(_ relativePath: String) throws -> URL {
        try root.appendingPathComponent(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        try Array(Data(contentsOf: url(relativePath)))
    }

    /// Every sample manifest, relative to `samples/`, sorted.
    static let samplePaths: [String] = {
        guard let root = try? root.appendingPathComponent("samples"),
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { return [] }
        var paths: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "yaml" {
            paths.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        return paths.sorted()
    }()

    /// The documents of one sample as JSON.
    static func sampleDocuments(_ path: String) throws -> [JSONValue] {
        try YAMLDocumentReader().read(text("samples/" + path)).compactMap(\.value)
    }

    /// Every Ray resource in the samples, with the file it came from.
    static func rayResources() throws -> [(path: String, object: JSONValue)] {
        var resources: [(path: String, object: JSONValue)] = []
        for path in samplePaths {
            for document in try sampleDocuments(path) {
                guard let apiVersion = document["apiVersion"]?.stringValue, apiVersion.hasPrefix("ray.io/"),
                    let kind = document["kind"]?.stringValue, RayKind(rawValue: kind) != nil
                else { continue }
                resources.append((path, document))
            }
        }
        return resources
    }
}

extension JSONValue {
    /// Parses test input that must be valid JSON.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser().parse(text)
    }
}

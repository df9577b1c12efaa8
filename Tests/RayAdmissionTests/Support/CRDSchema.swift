import RayAdmission
import Testing

/// A structural-schema check of a custom resource against its CRD's `openAPIV3Schema`, as the API
/// server does after mutating admission: types, enums, minimums, required fields, maps of strings,
/// unknown fields, and key uniqueness of `x-kubernetes-list-type: map` lists (with item defaults,
/// so `protocol` counts as TCP when absent). Nulls are dropped first, as the API server does for
/// non-nullable fields.
struct CRDSchema {
    let schema: JSONValue

    /// The v1 schema of the CRD for `kind`, read once per test process (the CRDs are 4 MB of YAML).
    static func load(kind: RayKind) throws -> CRDSchema {
        try #require(cache[kind], "CRD for \(kind) did not load")
    }

    private static let cache: [RayKind: CRDSchema] = {
        var schemas: [RayKind: CRDSchema] = [:]
        for kind in RayKind.allCases { schemas[kind] = try? read(kind: kind) }
        return schemas
    }()

    private static func read(kind: RayKind) throws -> CRDSchema {
        let file = "crds/ray.io_\(kind.resource).yaml"
        let crd = try YAMLDocumentReader().readSingle(try Fixtures.text(file))
        let versions = try #require(crd["spec"]?["versions"]?.arrayValue)
        let v1 = try #require(versions.first { $0["name"] == "v1" })
        return CRDSchema(schema: try #require(v1["schema"]?["openAPIV3Schema"]))
    }

    func errors(in value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, schema, path: "", errors: &errors)
        return errors
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, path: String, errors: inout [String]) {
        if value.isNull { return }
        if schema["x-kubernetes-int-or-string"] == .bool(true) {
            if value.stringValue == nil, value.numberValue?.isIntegerLiteral != true {
                errors.append("\(path): must be an integer or a string, got \(value.typeName)")
            }
            return
        }
        let preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] == .bool(true)
        switch schema["type"]?.stringValue {
        case "object":
            guard case .object(let object) = value else {
                errors.append("\(path): must be an object, got \(value.typeName)")
                return
            }
            let properties = schema["properties"]?.objectValue
            for member in object {
                let memberPath = "\(path).\(member.key)"
                if let propertySchema = properties?[member.key] {
                    check(member.value, propertySchema, path: memberPath, errors: &errors)
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    check(member.value, additional, path: memberPath, errors: &errors)
                } else if properties != nil && !preserveUnknown {
                    errors.append("\(memberPath): unknown field")
                }
            }
            for required in schema["required"]?.arrayValue ?? [] {
                // The API server fills a defaulted field before it checks `required`.
                if let name = required.stringValue, object[name] == nil || object[name]?.isNull == true,
                    properties?[name]?["default"] == nil
                {
                    errors.append("\(path).\(name): required")
                }
            }
        case "array":
            guard case .array(let elements) = value else {
                errors.append("\(path): must be an array, got \(value.typeName)")
                return
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, items, path: "\(path)[\(index)]", errors: &errors)
                }
            }
            checkListType(elements, schema, path: path, errors: &errors)
        case "string":
            guard let string = value.stringValue else {
                errors.append("\(path): must be a string, got \(value.jsonString.prefix(40))")
                return
            }
            if let allowed = schema["enum"]?.arrayValue, !allowed.contains(.string(string)) {
                errors.append("\(path): \"\(string)\" not in enum")
            }
        case "integer":
            guard let number = value.numberValue, number.isIntegerLiteral else {
                errors.append("\(path): must be an integer, got \(value.jsonString.prefix(40))")
                return
            }
            if let minimum = schema["minimum"]?.numberValue, number.doubleValue < minimum.doubleValue {
                errors.append("\(path): below minimum \(minimum)")
            }
        case "number":
            if value.numberValue == nil { errors.append("\(path): must be a number") }
        case "boolean":
            if value.boolValue == nil { errors.append("\(path): must be a boolean") }
        default:
            return
        }
    }

    private func checkListType(_ elements: [JSONValue], _ schema: JSONValue, path: String, errors: inout [String]) {
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "map":
            let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
            let itemProperties = schema["items"]?["properties"]
            var seen = Set<[JSONValue]>()
            for (index, element) in elements.enumerated() {
                let tuple = keys.map { key in
                    element[key] ?? itemProperties?[key]?["default"] ?? .null
                }
                if !seen.insert(tuple).inserted {
                    errors.append("\(path)[\(index)]: duplicate list-map key \(keys) = \(tuple.map(\.jsonString))")
                }
            }
        case "set":
            var seen = Set<JSONValue>()
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                errors.append("\(path)[\(index)]: duplicate set value")
            }
        default:
            return
        }
    }
}

/// A path to a field, as Kubernetes writes it in errors: `spec.workerGroupSpecs[1].minReplicas`,
/// `metadata.annotations[ray.io/ft-enabled]`. Built like `field.Path` in apimachinery.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Element: Sendable, Hashable {
        case child(String)
        case index(Int)
        case key(String)
    }

    public private(set) var elements: [Element]

    public init(_ names: String...) {
        self.elements = names.map(Element.child)
    }

    public init(elements: [Element]) {
        self.elements = elements
    }

    public static let root = FieldPath(elements: [])

    public func child(_ name: String) -> FieldPath {
        appending(.child(name))
    }

    /// `a.b.c` in one step.
    public func child(_ first: String, _ rest: String...) -> FieldPath {
        var copy = self
        copy.elements.reserveCapacity(elements.count + 1 + rest.count)
        copy.elements.append(.child(first))
        for name in rest { copy.elements.append(.child(name)) }
        return copy
    }

    public func index(_ index: Int) -> FieldPath {
        appending(.index(index))
    }

    public func key(_ key: String) -> FieldPath {
        appending(.key(key))
    }

    private func appending(_ element: Element) -> FieldPath {
        var copy = self
        copy.elements.append(element)
        return copy
    }

    public var description: String {
        // One buffer rather than a string grown by interpolation: every message and warning needs it.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(80)
        for element in elements {
            switch element {
            case .child(let name):
                if !bytes.isEmpty { bytes.append(UInt8(ascii: ".")) }
                bytes.append(contentsOf: name.utf8)
            case .index(let index):
                bytes.append(UInt8(ascii: "["))
                bytes.append(contentsOf: String(index).utf8)
                bytes.append(UInt8(ascii: "]"))
            case .key(let key):
                bytes.append(UInt8(ascii: "["))
                bytes.append(contentsOf: key.utf8)
                bytes.append(UInt8(ascii: "]"))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same location as a JSON Pointer into the object.
    public var pointer: JSONPointer {
        JSONPointer(
            tokens: elements.map {
                switch $0 {
                case .child(let name): name
                case .index(let index): String(index)
                case .key(let key): key
                }
            })
    }
}

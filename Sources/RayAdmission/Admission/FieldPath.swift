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
        FieldPath(elements: elements + [.child(name)])
    }

    /// `a.b.c` in one step.
    public func child(_ names: String...) -> FieldPath {
        FieldPath(elements: elements + names.map(Element.child))
    }

    public func index(_ index: Int) -> FieldPath {
        FieldPath(elements: elements + [.index(index)])
    }

    public func key(_ key: String) -> FieldPath {
        FieldPath(elements: elements + [.key(key)])
    }

    public var description: String {
        var text = ""
        for element in elements {
            switch element {
            case .child(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                text += "[\(key)]"
            }
        }
        return text
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

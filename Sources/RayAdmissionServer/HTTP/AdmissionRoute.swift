import RayAdmission

/// A path the webhook answers: the generic `/mutate` and `/validate`, and KubeRay's per-kind
/// paths (`/validate-ray-io-v1-raycluster`, …) so this server can replace KubeRay's webhook
/// without touching the webhook configurations.
struct AdmissionRoute: Sendable, Hashable {
    let endpoint: AdmissionEndpoint
    /// The kind the path names; the review's own `request.kind` still decides.
    let kind: RayKind?

    static let table: [String: AdmissionRoute] = {
        var table: [String: AdmissionRoute] = [:]
        for endpoint in AdmissionEndpoint.allCases {
            table["/\(endpoint.rawValue)"] = AdmissionRoute(endpoint: endpoint, kind: nil)
            for kind in RayKind.allCases {
                table["/\(endpoint.rawValue)-ray-io-v1-\(kind.rawValue.lowercased())"] =
                    AdmissionRoute(endpoint: endpoint, kind: kind)
            }
        }
        return table
    }()

    static func matching(path: String) -> AdmissionRoute? {
        table[path]
    }

    static var paths: [String] {
        table.keys.sorted()
    }
}

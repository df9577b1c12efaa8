extension DefaultingOutput {
    /// Appends `name=value` to a container's `env`, unless an entry with that name exists (the
    /// list-map key: never a duplicate) or `env` holds something other than a list (left for
    /// validation to report). Missing `env` is created first.
    mutating func addEnvIfAbsent(_ name: String, _ value: String, to container: JSONPointer, rule: RuleID) {
        // Decide first, in a scope of its own: a live reference to the container while it is
        // changed would make the change copy it.
        let needed: Bool = {
            guard let current = self[container], case .object = current, !ContainerView(current).hasEnv(name) else {
                return false
            }
            if let env = current["env"], env.arrayValue == nil, !env.isNull { return false }
            return true
        }()
        guard needed else { return }
        attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
            try output.document.append(
                .object(JSONObject([.init("name", .string(name)), .init("value", .string(value))])),
                toArrayAt: container.appending("env"), rule: rule)
        }
    }
}

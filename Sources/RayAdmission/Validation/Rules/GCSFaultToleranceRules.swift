/// GCS fault tolerance (rule book §1.B, V27–V43): the legacy annotation + env form and
/// `gcsFaultToleranceOptions` must not be mixed, and each backend has its own fields.
enum GCSFaultToleranceRules {
    static func options(_ context: ValidationContext) -> JSONObject? {
        context.clusterSpec?["gcsFaultToleranceOptions"]?.objectValue
    }

    static var optionsPath: (ValidationContext) -> FieldPath {
        { $0.cluster.fieldPath.child("gcsFaultToleranceOptions") }
    }

    static func headEnvIndex(_ context: ValidationContext, _ name: String) -> Int? {
        let env = context.object[context.cluster.headGroup.rayContainerEnv]?.arrayValue ?? []
        return env.firstIndex { $0["name"]?.stringValue == name }
    }

    static func headEnvError(_ context: ValidationContext, _ name: String, _ detail: String) -> [FieldError] {
        guard let index = headEnvIndex(context, name) else { return [] }
        return [
            .forbidden(
                context.cluster.headGroup.rayContainerFieldPath.child("env").index(
                    index), detail)
        ]
    }

    static func isRocksDB(_ context: ValidationContext) -> Bool {
        options(context)?["backend"]?.stringValue == "rocksdb"
    }

    static func annotation(_ context: ValidationContext, _ key: String) -> String {
        context.clusterAnnotations[key]?.stringValue ?? ""
    }

    static let annotationsPath = FieldPath("metadata", "annotations")

    static func whenOptions(
        _ id: RuleID, _ summary: String, rocksdb: Bool? = nil,
        _ check: @escaping @Sendable (ValidationContext, JSONObject) -> [FieldError]
    ) -> ValidationRule {
        ValidationRule(id: id, summary: summary) { context in
            guard let options = options(context) else { return [] }
            if let rocksdb, rocksdb != isRocksDB(context) { return [] }
            return check(context, options)
        }
    }

    static func rocksdbForbids(_ id: RuleID, _ field: String, nonEmptyString: Bool) -> ValidationRule {
        whenOptions(id, "rocksdb backend: no gcsFaultToleranceOptions.\(field)", rocksdb: true) { context, options in
            guard let value = options[field], !value.isNull else { return [] }
            if nonEmptyString, (value.stringValue ?? "x").isEmpty { return [] }
            return [
                .forbidden(
                    optionsPath(context).child(field),
                    "cannot set GcsFaultToleranceOptions.\(field) when backend is 'rocksdb'")
            ]
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(id: "V27", summary: "Not both ray.io/ft-enabled and gcsFaultToleranceOptions") { context in
            guard options(context) != nil, !annotation(context, "ray.io/ft-enabled").isEmpty else { return [] }
            return [
                .forbidden(
                    annotationsPath.key("ray.io/ft-enabled"),
                    "ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions"
                )
            ]
        },
        ValidationRule(id: "V28", summary: "Head RAY_REDIS_ADDRESS needs GCS fault tolerance enabled") { context in
            guard options(context) == nil, annotation(context, "ray.io/ft-enabled").lowercased() != "true" else {
                return []
            }
            return headEnvError(
                context, "RAY_REDIS_ADDRESS",
                "RAY_REDIS_ADDRESS implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set")
        },
        whenOptions("V29", "With gcsFaultToleranceOptions: no head rayStartParams redis-password") { context, _ in
            let head = context.cluster.headGroup
            guard !(context.object[head.rayStartParams.appending("redis-password")]?.stringValue ?? "").isEmpty else {
                return []
            }
            return [
                .forbidden(
                    head.fieldPath.child("rayStartParams").key("redis-password"),
                    "cannot set `redis-password` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead"
                )
            ]
        },
        whenOptions("V30", "With gcsFaultToleranceOptions: no head env REDIS_PASSWORD") { context, _ in
            headEnvError(
                context, "REDIS_PASSWORD",
                "cannot set `REDIS_PASSWORD` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead"
            )
        },
        whenOptions("V31", "With gcsFaultToleranceOptions: no head env RAY_REDIS_ADDRESS") { context, _ in
            headEnvError(
                context, "RAY_REDIS_ADDRESS",
                "cannot set `RAY_REDIS_ADDRESS` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisAddress instead"
            )
        },
        whenOptions("V32", "With gcsFaultToleranceOptions: no ray.io/external-storage-namespace annotation") {
            context, _ in
            guard !annotation(context, "ray.io/external-storage-namespace").isEmpty else { return [] }
            return [
                .forbidden(
                    annotationsPath.key("ray.io/external-storage-namespace"),
                    "cannot set `ray.io/external-storage-namespace` annotation when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.ExternalStorageNamespace instead"
                )
            ]
        },
        whenOptions("V33", "rocksdb backend needs the GCSFaultToleranceEmbeddedStorage gate", rocksdb: true) {
            context, _ in
            FeatureGateRules.gate(
                context, "GCSFaultToleranceEmbeddedStorage", at: optionsPath(context).child("backend"),
                what: "the embedded RocksDB GCS fault tolerance backend")
        },
        rocksdbForbids("V34", "redisAddress", nonEmptyString: true),
        rocksdbForbids("V35", "redisUsername", nonEmptyString: false),
        rocksdbForbids("V36", "redisPassword", nonEmptyString: false),
        rocksdbForbids("V37", "externalStorageNamespace", nonEmptyString: true),
        whenOptions("V38", "rocksdb storage: claimName excludes size, storageClassName, accessModes", rocksdb: true) {
            context, options in
            guard let storage = options["storage"]?.objectValue, !(storage["claimName"]?.stringValue ?? "").isEmpty
            else { return [] }
            let conflicts =
                ["size", "storageClassName"].filter { !(storage[$0]?.isNull ?? true) }
                + (!(storage["accessModes"]?.arrayValue ?? []).isEmpty ? ["accessModes"] : [])
            guard !conflicts.isEmpty else { return [] }
            return [
                .forbidden(
                    optionsPath(context).child("storage", "claimName"),
                    "GcsFaultToleranceOptions.Storage.ClaimName is mutually exclusive with size, storageClassName, and accessModes"
                )
            ]
        },
        whenOptions("V39", "rocksdb backend: no head env RAY_gcs_storage / RAY_gcs_storage_path", rocksdb: true) {
            context, _ in
            ["RAY_gcs_storage", "RAY_gcs_storage_path"].flatMap {
                headEnvError(
                    context, $0,
                    "cannot set `\($0)` env var in head Pod when the embedded GCS FT backend is used - these are managed by KubeRay"
                )
            }
        },
        whenOptions("V40", "rocksdb backend: no head mount gcs-storage or at /data/gcs", rocksdb: true) { context, _ in
            let mounts =
                context.object[context.cluster.headGroup.rayContainer.appending("volumeMounts")]?.arrayValue ?? []
            return mounts.enumerated().compactMap { index, mount in
                guard mount["mountPath"] == "/data/gcs" || mount["name"] == "gcs-storage" else { return nil }
                return .forbidden(
                    context.cluster.headGroup.rayContainerFieldPath.child(
                        "volumeMounts"
                    ).index(index),
                    "cannot set a volume mount named \"gcs-storage\" or mounted at /data/gcs in the head container when the embedded GCS FT backend is used - it is managed by KubeRay"
                )
            }
        },
        whenOptions("V41", "rocksdb backend: no head volume gcs-storage", rocksdb: true) { context, _ in
            let volumes = context.object[context.cluster.headGroup.podSpec.appending("volumes")]?.arrayValue ?? []
            return volumes.enumerated().compactMap { index, volume in
                guard volume["name"] == "gcs-storage" else { return nil }
                return .forbidden(
                    context.cluster.headGroup.fieldPath.child("template", "spec", "volumes").index(index),
                    "cannot set a volume named \"gcs-storage\" in the head Pod when the embedded GCS FT backend is used - it is managed by KubeRay"
                )
            }
        },
        whenOptions("V42", "redis backend: no gcsFaultToleranceOptions.storage", rocksdb: false) { context, options in
            guard let storage = options["storage"], !storage.isNull else { return [] }
            return [
                .forbidden(
                    optionsPath(context).child("storage"),
                    "cannot set GcsFaultToleranceOptions.Storage when backend is 'redis' - it only applies to the 'rocksdb' backend"
                )
            ]
        },
        ValidationRule(
            id: "V43", summary: "No Redis username in head rayStartParams or env (use gcsFaultToleranceOptions)"
        ) { context in
            let head = context.cluster.headGroup
            var errors = headEnvError(
                context, "REDIS_USERNAME",
                "cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead"
            )
            if !(context.object[head.rayStartParams.appending("redis-username")]?.stringValue ?? "").isEmpty {
                errors.append(
                    .forbidden(
                        head.fieldPath.child("rayStartParams").key("redis-username"),
                        "cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead"
                    ))
            }
            return errors
        },
    ]
}

/// The CRD's own checks (rule book §1.H, C03–C11) that a webhook can see: CEL rules, enums,
/// minimums, required fields, maps of strings and list-map keys. The API server runs them after
/// admission anyway; running them here gives `ray-admission check` (no API server behind it) the
/// same answer, and gives the server one message with every problem in it.
///
/// C06 (RayCluster `upgradeStrategy.type` enum) is V82, and C08's minimums are V118
/// (`preRunningDeadlineSeconds`), V125 (`rayClusterDeletionDelaySeconds`) and V136 (`timeZone`):
/// those are not checked twice.
enum SchemaRules {
    // MARK: shared checks

    /// An enum field: a string from `allowed`, or absent. A value of another type is a type error.
    /// Field paths are built only for a finding: most checks find nothing, and building a path
    /// costs more than the check.
    static func oneOf(_ value: JSONValue?, _ field: @autoclosure () -> FieldPath, _ allowed: [String]) -> FieldError? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { return typeError(value, field(), expected: "string") }
        return allowed.contains(text) ? nil : .notSupported(field(), value, supported: allowed)
    }

    static func typeError(_ value: JSONValue, _ field: FieldPath, expected: String) -> FieldError {
        .invalid(field, .string(value.typeName), "must be of type \(expected)")
    }

    /// Whether a member is present as CEL's `has()` sees it: the API server drops nulls first.
    static func has(_ object: JSONValue?, _ key: String) -> Bool {
        guard let member = object?[key] else { return false }
        return !member.isNull
    }

    /// The job spec of a RayJob or RayCronJob; nil for the other kinds.
    static func jobSpec(_ context: ValidationContext) -> (pointer: JSONPointer, field: FieldPath, value: JSONObject)? {
        context.kind == .rayJob || context.kind == .rayCronJob ? RayJobRules.jobSpec(context) : nil
    }

    /// A pod template's `spec` and its field path. A struct, not a tuple: the runtime copies and
    /// frees arrays of tuples through generic witnesses, and several rules walk these per request.
    struct PodSpec {
        let field: FieldPath
        let value: JSONValue
    }

    /// Every pod template of the object: each group's, and a RayJob's submitter pod template.
    static func podSpecs(_ context: ValidationContext) -> [PodSpec] {
        var specs: [PodSpec] = []
        specs.reserveCapacity(context.groups.count + 1)
        for group in context.groups {
            guard let spec = group.value["template"]?["spec"] else { continue }
            specs.append(PodSpec(field: group.location.podSpecFieldPath, value: spec))
        }
        if let job = jobSpec(context), let spec = job.value["submitterPodTemplate"]?["spec"] {
            specs.append(PodSpec(field: job.field.child("submitterPodTemplate", "spec"), value: spec))
        }
        return specs
    }

    // MARK: C03–C05 deletion strategy

    static func deletionStrategyRules(_ context: ValidationContext) -> [FieldError] {
        guard let job = jobSpec(context), let strategy = job.value["deletionStrategy"], !strategy.isNull
        else { return [] }
        let field = job.field.child("deletionStrategy")
        let legacy = has(strategy, "onSuccess") || has(strategy, "onFailure")
        var errors: [FieldError] = []
        if legacy && has(strategy, "deletionRules") {
            errors.append(
                .invalid(
                    field, "object",
                    "legacy policies (onSuccess/onFailure) and deletionRules cannot be used together within the same deletionStrategy"
                ))
        }
        if !((has(strategy, "onSuccess") && has(strategy, "onFailure")) || has(strategy, "deletionRules")) {
            errors.append(
                .invalid(
                    field, "object",
                    "deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)"
                ))
        }
        if let rules = strategy["deletionRules"], !rules.isNull {
            guard let list = rules.arrayValue else {
                return errors + [typeError(rules, field.child("deletionRules"), expected: "array")]
            }
            if list.isEmpty {
                errors.append(
                    .invalid(field.child("deletionRules"), .number(JSONNumber(0)), "should have at least 1 items"))
            }
            for (index, rule) in list.enumerated() {
                let ruleField = field.child("deletionRules").index(index)
                if !has(rule, "policy") { errors.append(.required(ruleField.child("policy"))) }
                if !has(rule, "condition") { errors.append(.required(ruleField.child("condition"))) }
            }
        }
        return errors
    }

    static func deletionConditionRules(_ context: ValidationContext) -> [FieldError] {
        guard let job = jobSpec(context) else { return [] }
        let field = job.field.child("deletionStrategy", "deletionRules")
        return RayJobRules.rules(job.value).enumerated().flatMap { index, rule -> [FieldError] in
            guard let condition = rule["condition"], !condition.isNull else { return [] }
            let conditionField = field.index(index).child("condition")
            var errors: [FieldError] = []
            let status = has(condition, "jobStatus")
            let deployment = has(condition, "jobDeploymentStatus")
            if status && deployment {
                errors.append(
                    .invalid(
                        conditionField, "object",
                        "JobStatus and JobDeploymentStatus cannot be used together within the same deletion condition."
                    ))
            }
            if !status && !deployment {
                errors.append(
                    .invalid(
                        conditionField, "object",
                        "the deletion condition requires either the JobStatus or the JobDeploymentStatus field."))
            }
            errors += [
                oneOf(condition["jobStatus"], conditionField.child("jobStatus"), ["SUCCEEDED", "FAILED"]),
                oneOf(condition["jobDeploymentStatus"], conditionField.child("jobDeploymentStatus"), ["Failed"]),
                minimum(condition["ttlSeconds"], conditionField.child("ttlSeconds"), 0),
            ].compactMap { $0 }
            return errors
        }
    }

    static let deletionPolicies = ["DeleteCluster", "DeleteWorkers", "DeleteSelf", "DeleteNone"]

    static func deletionPolicyRules(_ context: ValidationContext) -> [FieldError] {
        guard let job = jobSpec(context), let strategy = job.value["deletionStrategy"] else { return [] }
        let field = job.field.child("deletionStrategy")
        var errors = ["onSuccess", "onFailure"].compactMap { which in
            oneOf(strategy[which]?["policy"], field.child(which, "policy"), deletionPolicies)
        }
        for (index, rule) in RayJobRules.rules(job.value).enumerated() {
            if let error = oneOf(
                rule["policy"], field.child("deletionRules").index(index).child("policy"), deletionPolicies)
            {
                errors.append(error)
            }
        }
        return errors
    }

    // MARK: C07 cluster-spec enums

    /// The enums, each with the first release whose CRDs have the field (older CRDs drop it).
    static let clusterEnums: [(path: [String], allowed: [String], since: KubeRayRelease)] = [
        (["authOptions", "mode"], ["disabled", "token"], .v1_5_1),
        (["autoscalerOptions", "upscalingMode"], ["Default", "Aggressive", "Conservative"], .v1_3),
        (["autoscalerOptions", "version"], ["v1", "v2"], .v1_4),
        (["gcsFaultToleranceOptions", "backend"], ["redis", "rocksdb"], .v1_7),
        (["gcsFaultToleranceOptions", "storage", "deletionPolicy"], ["DeleteWithCluster", "Retain"], .v1_7),
        (["headGroupSpec", "ingressOptions", "pathType"], ["Exact", "Prefix", "ImplementationSpecific"], .v1_7),
        (["networkPolicy", "mode"], ["DenyAll", "DenyAllIngress", "DenyAllEgress"], .v1_7),
    ]

    static func clusterEnumRules(_ context: ValidationContext) -> [FieldError] {
        guard let spec = context.clusterSpec else { return [] }
        return clusterEnums.compactMap { entry in
            guard context.crdRelease >= entry.since else { return nil }
            var value: JSONValue? = spec
            for key in entry.path { value = value?[key] }
            return oneOf(value, entry.path.reduce(context.cluster.fieldPath) { $0.child($1) }, entry.allowed)
        }
    }

    static func minimum(_ value: JSONValue?, _ field: @autoclosure () -> FieldPath, _ minimum: Int64) -> FieldError? {
        guard let value, !value.isNull else { return nil }
        guard let number = value.numberValue, number.isIntegerLiteral else {
            return typeError(value, field(), expected: "integer")
        }
        guard let integer = number.int64Value, integer < minimum else { return nil }
        return .invalid(field(), value, "should be greater than or equal to \(minimum)")
    }

    // MARK: C09 required fields

    static func requiredRules(_ context: ValidationContext) -> [FieldError] {
        var errors: [FieldError] = []
        let object = context.object
        switch context.kind {
        case .rayService:
            // Required from KubeRay 1.4's CRDs on.
            if context.crdRelease >= .v1_4, !has(object["spec"], "rayClusterConfig") {
                errors.append(.required(FieldPath("spec", "rayClusterConfig")))
            }
            if let options = object["spec"]?["upgradeStrategy"]?["clusterUpgradeOptions"], !options.isNull,
                context.crdRelease >= .v1_5
            {
                for key in ["gatewayClassName", "intervalSeconds", "stepSizePercent"] where !has(options, key) {
                    errors.append(.required(FieldPath("spec", "upgradeStrategy", "clusterUpgradeOptions", key)))
                }
            }
        case .rayCronJob:
            for key in ["jobTemplate", "schedule"] where !has(object["spec"], key) {
                errors.append(.required(FieldPath("spec", key)))
            }
        case .rayCluster, .rayJob:
            break
        }
        // KubeRay 1.5's CRDs require a deletion condition's jobStatus (1.6 adds jobDeploymentStatus, C04).
        if context.crdRelease.minor == 5, let job = jobSpec(context) {
            for (index, rule) in RayJobRules.rules(job.value).enumerated() {
                guard let condition = rule["condition"], !condition.isNull, !has(condition, "jobStatus") else {
                    continue
                }
                errors.append(
                    .required(
                        job.field.child("deletionStrategy", "deletionRules").index(index).child(
                            "condition", "jobStatus")
                    ))
            }
        }
        // A cluster spec, where there is one, needs a head group with a template; workers need a
        // name and a template (minReplicas and maxReplicas have CRD defaults).
        if let spec = context.clusterSpec, !spec.isNull {
            let field = context.cluster.fieldPath
            if !has(spec, "headGroupSpec") {
                errors.append(.required(field.child("headGroupSpec")))
            } else if !has(spec["headGroupSpec"], "template") {
                errors.append(.required(context.cluster.headGroup.fieldPath.child("template")))
            }
            for group in context.workerGroups {
                for key in ["groupName", "template"] where !has(group.value, key) {
                    errors.append(.required(group.location.fieldPath.child(key)))
                }
            }
            // KubeRay 1.3's CRDs require rayStartParams in every group.
            if context.crdRelease < .v1_4 {
                for group in context.groups where !has(group.value, "rayStartParams") {
                    errors.append(.required(group.location.fieldPath.child("rayStartParams")))
                }
            }
            // Up to KubeRay 1.6 the CRDs require a Redis address in gcsFaultToleranceOptions.
            if context.crdRelease < .v1_7, let options = spec["gcsFaultToleranceOptions"], !options.isNull,
                !has(options, "redisAddress")
            {
                errors.append(.required(field.child("gcsFaultToleranceOptions", "redisAddress")))
            }
            for (index, group) in (spec["networkPolicy"]?["workerGroups"]?.arrayValue ?? []).enumerated()
            where !has(group, "groupName") {
                errors.append(
                    .required(field.child("networkPolicy", "workerGroups").index(index).child("groupName")))
            }
        }
        for pod in podSpecs(context) {
            // Groups without containers are V09/V13; the submitter pod has no V rule.
            if !has(pod.value, "containers"), pod.field.elements.contains(.child("submitterPodTemplate")) {
                errors.append(.required(pod.field.child("containers")))
            }
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                for (index, container) in (pod.value[list]?.arrayValue ?? []).enumerated() {
                    func containerField() -> FieldPath { pod.field.child(list).index(index) }
                    if !has(container, "name") { errors.append(.required(containerField().child("name"))) }
                    for (portIndex, port) in (container["ports"]?.arrayValue ?? []).enumerated()
                    where !has(port, "containerPort") {
                        errors.append(
                            .required(containerField().child("ports").index(portIndex).child("containerPort")))
                    }
                }
            }
        }
        return errors
    }

    // MARK: C10 maps of strings

    static func stringMapRules(_ context: ValidationContext) -> [FieldError] {
        // Group `labels` and `resources` maps came with KubeRay 1.5's CRDs.
        let groupMaps = context.crdRelease >= .v1_5 ? ["rayStartParams", "labels", "resources"] : ["rayStartParams"]
        var errors: [FieldError] = []
        func check(_ value: JSONValue?, _ field: @autoclosure () -> FieldPath) {
            guard let value, !value.isNull else { return }
            guard let object = value.objectValue else {
                errors.append(typeError(value, field(), expected: "object"))
                return
            }
            for member in object where member.value.stringValue == nil && !member.value.isNull {
                errors.append(typeError(member.value, field().key(member.key), expected: "string"))
            }
        }
        for group in context.groups {
            for key in groupMaps {
                check(group.value[key], group.location.fieldPath.child(key))
            }
        }
        if let spec = context.clusterSpec {
            check(spec["headServiceAnnotations"], context.cluster.fieldPath.child("headServiceAnnotations"))
        }
        if let job = jobSpec(context) {
            for key in ["clusterSelector", "metadata"] {
                check(job.value[key], job.field.child(key))
            }
        }
        return errors
    }

    // MARK: C11 list-map keys

    /// A `x-kubernetes-list-type: map` list: its key fields, and the defaults the API server puts
    /// in before comparing (a port's protocol is TCP when absent).
    struct ListMap: Sendable {
        let list: String
        let keys: [String]
        var defaults: [String: JSONValue] = [:]
    }

    static let podLists: [ListMap] = [
        ListMap(list: "containers", keys: ["name"]),
        ListMap(list: "initContainers", keys: ["name"]),
        ListMap(list: "ephemeralContainers", keys: ["name"]),
        ListMap(list: "volumes", keys: ["name"]),
        ListMap(list: "imagePullSecrets", keys: ["name"]),
        ListMap(list: "hostAliases", keys: ["ip"]),
        ListMap(list: "resourceClaims", keys: ["name"]),
        ListMap(list: "schedulingGates", keys: ["name"]),
        ListMap(list: "topologySpreadConstraints", keys: ["topologyKey", "whenUnsatisfiable"]),
    ]

    static let containerLists: [ListMap] = [
        ListMap(list: "env", keys: ["name"]),
        ListMap(list: "ports", keys: ["containerPort", "protocol"], defaults: ["protocol": "TCP"]),
        ListMap(list: "volumeMounts", keys: ["mountPath"]),
        ListMap(list: "volumeDevices", keys: ["devicePath"]),
    ]

    static let claims = ListMap(list: "claims", keys: ["name"])
    static let headServicePorts = ListMap(list: "ports", keys: ["port", "protocol"], defaults: ["protocol": "TCP"])
    static let networkPolicyGroups = ListMap(list: "workerGroups", keys: ["groupName"])

    /// Items whose keys repeat an earlier item's, as the API server reports them. Short lists
    /// (almost all) compare pairwise; long ones use a set, so a hostile list stays linear.
    static func duplicates(
        in list: JSONValue?, _ map: ListMap, into errors: inout [FieldError], at field: () -> FieldPath
    ) {
        guard case .array(let items)? = list, items.count > 1 else { return }
        var keys: [[JSONValue]] = []
        var seen: Set<[JSONValue]>? = items.count > 16 ? [] : nil
        for (index, item) in items.enumerated() {
            guard case .object = item else { continue }
            let key = map.keys.map { item[$0].flatMap { $0.isNull ? nil : $0 } ?? map.defaults[$0] ?? .null }
            // Missing keys are C09's to report.
            guard !key.contains(.null) else { continue }
            let repeated: Bool
            if seen != nil {
                repeated = seen?.insert(key).inserted == false
            } else {
                repeated = keys.contains(key)
                if !repeated { keys.append(key) }
            }
            if repeated {
                let value = JSONValue.object(
                    JSONObject(zip(map.keys, key).map { JSONObject.Member(key: $0, value: $1) }))
                errors.append(.duplicate(field().index(index), value))
            }
        }
    }

    static func listMapRules(_ context: ValidationContext) -> [FieldError] {
        var errors: [FieldError] = []
        for pod in podSpecs(context) {
            for map in podLists {
                duplicates(in: pod.value[map.list], map, into: &errors) { pod.field.child(map.list) }
            }
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                guard case .array(let containers)? = pod.value[list] else { continue }
                for (index, container) in containers.enumerated() {
                    func containerField() -> FieldPath { pod.field.child(list).index(index) }
                    for map in containerLists {
                        duplicates(in: container[map.list], map, into: &errors) { containerField().child(map.list) }
                    }
                    duplicates(in: container["resources"]?["claims"], claims, into: &errors) {
                        containerField().child("resources", "claims")
                    }
                }
            }
        }
        if let spec = context.clusterSpec {
            let headField = context.cluster.headGroup.fieldPath
            let clusterField = context.cluster.fieldPath
            duplicates(in: spec["headGroupSpec"]?["headService"]?["spec"]?["ports"], headServicePorts, into: &errors) {
                headField.child("headService", "spec", "ports")
            }
            duplicates(in: spec["networkPolicy"]?["workerGroups"], networkPolicyGroups, into: &errors) {
                clusterField.child("networkPolicy", "workerGroups")
            }
        }
        return errors
    }

    // MARK: field types

    enum FieldType: Sendable {
        case string, integer, number, boolean, object, array

        func admits(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (_, .null), (.string, .string), (.boolean, .bool), (.object, .object), (.array, .array),
                (.number, .number):
                true
            case (.integer, .number(let number)): number.isIntegerLiteral
            default: false
            }
        }
    }

    /// The types of the Ray fields (not the embedded Kubernetes types), from the CRDs.
    static let clusterFields: FieldTypes = [
        "authOptions": .object, "autoscalerOptions": .object, "enableInTreeAutoscaling": .boolean,
        "gcsFaultToleranceOptions": .object, "headGroupSpec": .object, "historyServerOptions": .object,
        "managedBy": .string, "networkPolicy": .object, "rayVersion": .string, "suspend": .boolean,
        "tlsOptions": .object, "upgradeStrategy": .object, "workerGroupSpecs": .array,
    ]
    static let headFields: FieldTypes = [
        "enableIngress": .boolean, "headService": .object, "ingressOptions": .object, "serviceType": .string,
        "template": .object,
    ]
    static let workerFields: FieldTypes = [
        "groupName": .string, "idleTimeoutSeconds": .integer, "maxReplicas": .integer, "minReplicas": .integer,
        "numOfHosts": .integer, "priority": .integer, "replicas": .integer, "scaleStrategy": .object,
        "suspend": .boolean, "template": .object,
    ]
    static let jobFields: FieldTypes = [
        "activeDeadlineSeconds": .integer, "backoffLimit": .integer, "deletionStrategy": .object,
        "entrypoint": .string, "entrypointNumCpus": .number, "entrypointNumGpus": .number,
        "entrypointResources": .string, "jobId": .string, "managedBy": .string, "preRunningDeadlineSeconds": .integer,
        "rayClusterSpec": .object, "runtimeEnvYAML": .string, "shutdownAfterJobFinishes": .boolean,
        "submissionMode": .string, "submitterConfig": .object, "submitterPodTemplate": .object, "suspend": .boolean,
        "ttlSecondsAfterFinished": .integer,
    ]
    static let serviceFields: FieldTypes = [
        "deploymentUnhealthySecondThreshold": .integer, "excludeHeadPodFromServeSvc": .boolean, "managedBy": .string,
        "rayClusterConfig": .object, "rayClusterDeletionDelaySeconds": .integer, "serveConfigV2": .string,
        "serveService": .object, "serviceUnhealthySecondThreshold": .integer, "suspend": .boolean,
        "upgradeStrategy": .object,
    ]
    static let cronFields: FieldTypes = [
        "jobTemplate": .object, "schedule": .string, "suspend": .boolean, "timeZone": .string,
    ]

    /// The typed fields of one Ray type: a dozen at most, so a scan that compares lengths first
    /// costs less than hashing each member's key.
    struct FieldTypes: Sendable, ExpressibleByDictionaryLiteral {
        private let fields: [(key: String, type: FieldType)]

        init(dictionaryLiteral elements: (String, FieldType)...) {
            fields = elements.map { (key: $0.0, type: $0.1) }
        }

        subscript(key: String) -> FieldType? {
            let length = key.utf8.count
            return fields.first { $0.key.utf8.count == length && $0.key == key }?.type
        }
    }

    static func typeErrors(_ value: JSONValue?, _ fields: FieldTypes, at field: FieldPath) -> [FieldError] {
        guard let object = value?.objectValue else { return [] }
        return object.compactMap { member in
            guard let type = fields[member.key], !type.admits(member.value) else { return nil }
            return typeError(member.value, field.child(member.key), expected: "\(type)")
        }
    }

    static func fieldTypeRules(_ context: ValidationContext) -> [FieldError] {
        let object = context.object
        var errors: [FieldError] = []
        if let spec = object["spec"], !spec.isNull, spec.objectValue == nil {
            return [typeError(spec, FieldPath("spec"), expected: "object")]
        }
        switch context.kind {
        case .rayCluster: break
        case .rayJob: errors += typeErrors(object["spec"], jobFields, at: FieldPath("spec"))
        case .rayService: errors += typeErrors(object["spec"], serviceFields, at: FieldPath("spec"))
        case .rayCronJob:
            errors += typeErrors(object["spec"], cronFields, at: FieldPath("spec"))
            errors += typeErrors(object["spec"]?["jobTemplate"], jobFields, at: FieldPath("spec", "jobTemplate"))
        }
        errors += typeErrors(context.clusterSpec, clusterFields, at: context.cluster.fieldPath)
        for group in context.groups {
            errors += typeErrors(
                group.value, group.location.isHead ? headFields : workerFields, at: group.location.fieldPath)
        }
        if let workers = context.clusterSpec?["workerGroupSpecs"]?.arrayValue {
            let field = context.cluster.fieldPath.child("workerGroupSpecs")
            for (index, worker) in workers.enumerated() where worker.objectValue == nil && !worker.isNull {
                errors.append(typeError(worker, field.index(index), expected: "object"))
            }
        }
        return errors
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "C03", summary: "deletionStrategy: legacy policies or deletionRules (CRD CEL, minItems, required)",
            kinds: [.rayJob, .rayCronJob], check: deletionStrategyRules),
        ValidationRule(
            id: "C04",
            summary: "Deletion conditions name exactly one of jobStatus, jobDeploymentStatus (CRD CEL, enums)",
            kinds: [.rayJob, .rayCronJob], check: deletionConditionRules),
        ValidationRule(
            id: "C05",
            summary: "Deletion policies are DeleteCluster, DeleteWorkers, DeleteSelf or DeleteNone (CRD enum)",
            kinds: [.rayJob, .rayCronJob], check: deletionPolicyRules),
        ValidationRule(
            id: "C07",
            summary: "Cluster-spec enums: auth mode, autoscaler options, GCS FT backend, pathType, networkPolicy",
            check: clusterEnumRules),
        ValidationRule(
            id: "C09", summary: "Fields the CRD requires (head group, templates, group names, container names, ports)",
            check: requiredRules),
        ValidationRule(
            id: "C10", summary: "rayStartParams, labels, resources, annotations and selectors are maps of strings",
            check: stringMapRules),
        ValidationRule(
            id: "C11",
            summary: "List-map keys are unique in pod templates (containers, env, ports, volumes, mounts, …)",
            check: listMapRules),
        ValidationRule(
            id: "field-types", summary: "Ray fields have the CRD's types (a number where a string belongs, …)",
            check: fieldTypeRules),
    ]
}

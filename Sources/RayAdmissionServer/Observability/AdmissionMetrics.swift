import Prometheus
import RayAdmission
import Synchronization

/// Every metric the server exports, on one Prometheus registry owned by the server instance (no
/// process-wide state, so tests can run several servers side by side).
public final class AdmissionMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Sub-millisecond buckets: a webhook that answers in 50 µs and one that answers in 5 ms
    /// must not land in the same bucket.
    static let latencyBuckets: [Duration] = [
        .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
    ]

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "requests", unitName: "total",
            helpText: "Admission reviews answered, by endpoint, kind, operation and decision.")
    }
    private static var rejected: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "http_rejected", unitName: "total",
            helpText: "HTTP requests refused before review (bad path, method, media type, size or body), by code.")
    }
    private static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "request_duration", unitName: "seconds",
            helpText: "Time from a request's arrival to its answer, body read included, by endpoint.")
    }
    private static var inFlightDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "requests_in_flight", unitName: "",
            helpText: "Admission requests being handled now.")
    }
    private static var reloads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "certificate_reloads", unitName: "total",
            helpText: "Serving certificate reloads, by result (success: a new pair is in force; failure: kept the old)."
        )
    }
    private static var expiry: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "certificate_expiry_timestamp", unitName: "seconds",
            helpText: "notAfter of the serving certificate in force, as a Unix time.")
    }
    private static var buildInfo: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "build_info", unitName: "",
            helpText: "Always 1; the labels name the running build.")
    }

    private static var kubeRayRelease: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "kuberay_release_info", unitName: "",
            helpText: "Always 1; the labels name the KubeRay release the rules follow and that of the installed CRDs.")
    }

    private static var policyViolations: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "policy_violations", unitName: "total",
            helpText:
                "Rule findings by rule, namespace and mode (deny, warn, audit; existing: a denial the stored object already had, admitted on update)."
        )
    }
    private static var policyReloads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "policy_reloads", unitName: "total",
            helpText: "Policy file reloads, by result (success: the new policy is in force; failure: kept the old).")
    }
    private static var policyLastReload: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "policy_last_reload_success", unitName: "",
            helpText: "1 if the last new version of the policy file loaded, 0 if it was refused (the old policy stays)."
        )
    }
    private static var policyInfo: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "ray_admission", metricName: "policy_info", unitName: "",
            helpText: "1 for the policy in force (label sha256: the file's hash, or built-in), 0 for earlier ones.")
    }

    private let inFlight: Gauge
    /// Reviews whose body began to be read, and those answered: equal once the server has
    /// drained, which is what shutdown reports.
    private let started = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// Made once: every review records its latency, and building a descriptor and looking it up
    /// in the registry for each one is work the request does not need.
    private let durations: [AdmissionEndpoint: DurationHistogram]
    /// Request counters by label set, looked up in the registry once per set.
    private let requestCounters = Mutex<[RequestLabels: Counter]>([:])

    private struct RequestLabels: Hashable {
        let endpoint: AdmissionEndpoint
        let kind: String
        let operation: String
        let decision: AdmissionOutcome.Decision
    }
    private let certificateExpiry: Gauge
    /// Finding counters by label set, made once each: every warning of every review counts.
    private let findingCounters = Mutex<[FindingLabels: Counter]>([:])

    private struct FindingLabels: Hashable {
        let rule: RuleID
        let namespace: String
        let mode: AdmissionOutcome.Finding.Mode
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String) {
        self.registry = registry
        self.inFlight = registry.makeGauge(descriptor: Self.inFlightDescriptor)
        self.certificateExpiry = registry.makeGauge(descriptor: Self.expiry)
        registry.makeGauge(descriptor: Self.buildInfo, labels: [("version", version)]).set(to: 1.0)
        for result in ["success", "failure"] {
            _ = registry.makeCounter(descriptor: Self.reloads, labels: [("result", result)])
            _ = registry.makeCounter(descriptor: Self.policyReloads, labels: [("result", result)])
        }
        var durations: [AdmissionEndpoint: DurationHistogram] = [:]
        for endpoint in AdmissionEndpoint.allCases {
            durations[endpoint] = registry.makeDurationHistogram(
                descriptor: Self.duration, labels: [("endpoint", endpoint.rawValue)], buckets: Self.latencyBuckets)
        }
        self.durations = durations
    }

    public func requestStarted() {
        started.add(1, ordering: .relaxed)
        inFlight.increment()
    }

    public func requestFinished() {
        finished.add(1, ordering: .relaxed)
        inFlight.decrement()
    }

    /// Reviews received and answered since start.
    public var reviewTally: (received: Int, answered: Int) {
        (started.load(ordering: .relaxed), finished.load(ordering: .relaxed))
    }

    public func reviewed(
        endpoint: AdmissionEndpoint, kind: String, operation: String, decision: AdmissionOutcome.Decision,
        duration: Duration
    ) {
        let labels = RequestLabels(endpoint: endpoint, kind: kind, operation: operation, decision: decision)
        let counter = requestCounters.withLock { counters in
            if let counter = counters[labels] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.requests,
                labels: [
                    ("endpoint", endpoint.rawValue), ("kind", kind), ("operation", operation),
                    ("decision", decision.rawValue),
                ])
            counters[labels] = counter
            return counter
        }
        counter.increment()
        observe(endpoint: endpoint, duration: duration)
    }

    public func rejected(endpoint: String, code: Int) {
        registry.makeCounter(descriptor: Self.rejected, labels: [("endpoint", endpoint), ("code", String(code))])
            .increment()
    }

    public func observe(endpoint: AdmissionEndpoint, duration: Duration) {
        durations[endpoint]?.record(duration)
    }

    public func certificateReloaded(success: Bool) {
        registry.makeCounter(descriptor: Self.reloads, labels: [("result", success ? "success" : "failure")])
            .increment()
    }

    public func certificateInForce(notValidAfter: Int) {
        certificateExpiry.set(to: Double(notValidAfter))
    }

    public func policyFindings(_ findings: [AdmissionOutcome.Finding], namespace: String) {
        let counters = findingCounters.withLock { counters in
            findings.map { finding in
                let labels = FindingLabels(rule: finding.rule, namespace: namespace, mode: finding.mode)
                if let counter = counters[labels] { return counter }
                let counter = registry.makeCounter(
                    descriptor: Self.policyViolations,
                    labels: [
                        ("rule", finding.rule.rawValue), ("namespace", namespace), ("mode", finding.mode.rawValue),
                    ])
                counters[labels] = counter
                return counter
            }
        }
        for counter in counters { counter.increment() }
    }

    public func following(release: KubeRayRelease, crdRelease: KubeRayRelease) {
        registry.makeGauge(
            descriptor: Self.kubeRayRelease,
            labels: [("release", release.description), ("crd_release", crdRelease.description)]
        ).set(to: 1)
    }

    public func policyReloaded(success: Bool) {
        registry.makeCounter(descriptor: Self.policyReloads, labels: [("result", success ? "success" : "failure")])
            .increment()
        registry.makeGauge(descriptor: Self.policyLastReload).set(to: success ? 1 : 0)
    }

    /// The file is back to the policy in force after a refused version: nothing is failing.
    public func policyReloadRecovered() {
        registry.makeGauge(descriptor: Self.policyLastReload).set(to: 1)
    }

    /// Marks `version` as the policy in force and `previous` (if any) as no longer.
    public func policyInForce(_ version: String, previous: String?) {
        if let previous, previous != version {
            registry.makeGauge(descriptor: Self.policyInfo, labels: [("sha256", previous)]).set(to: 0)
        }
        registry.makeGauge(descriptor: Self.policyInfo, labels: [("sha256", version)]).set(to: 1)
        if previous == nil { registry.makeGauge(descriptor: Self.policyLastReload).set(to: 1) }
    }

    public func exposition() -> [UInt8] {
        registry.emitToBuffer() + Array(ProcessMetrics.exposition().utf8)
    }
}

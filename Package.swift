// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ray-admission",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RayAdmission", targets: ["RayAdmission"]),
        .library(name: "RayAdmissionServer", targets: ["RayAdmissionServer"]),
        .executable(name: "ray-admission", targets: ["ray-admission"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // The admission pipeline: pure, synchronous, no networking.
        .target(
            name: "RayAdmission",
            dependencies: [
                .product(name: "Yams", package: "Yams")
            ],
            // Foundation's String methods (NSString bridging) must not leak into the hot paths from
            // the one file that needs Foundation for time zones.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // The HTTPS front door onto the pipeline.
        .target(
            name: "RayAdmissionServer",
            dependencies: [
                "RayAdmission",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "ray-admission",
            dependencies: [
                "RayAdmission",
                "RayAdmissionServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The pipeline's CPU cost per review, without HTTP or TLS (see Benchmarks/).
        // The libFuzzer target (Fuzz/fuzz.sh builds it with -sanitize=fuzzer); built normally,
        // it replays the kept corpus, which the tests do.
        .executableTarget(
            name: "ray-admission-fuzz",
            dependencies: ["RayAdmission"],
            path: "Fuzz/AdmissionFuzz"
        ),
        // Issue 6's measuring instrument: the same pipeline behind plain SwiftNIO (no Hummingbird).
        .executableTarget(
            name: "ray-admission-transport-floor",
            dependencies: [
                "RayAdmission",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Benchmarks/TransportFloor"
        ),
        .executableTarget(
            name: "ray-admission-bench",
            dependencies: ["RayAdmission"],
            path: "Benchmarks/PipelineBenchmark"
        ),
        .testTarget(
            name: "RayAdmissionTests",
            dependencies: ["RayAdmission"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "RayAdmissionServerTests",
            dependencies: [
                "RayAdmission",
                "RayAdmissionServer",
                "ray-admission",
                "ray-admission-fuzz",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)

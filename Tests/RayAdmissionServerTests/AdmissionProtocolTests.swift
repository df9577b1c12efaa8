import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// The API server's contract, over real HTTPS (DESIGN decision 7).
@Suite(.serialized)
struct AdmissionProtocolTests {
    static let kinds = ["RayCluster", "RayJob", "RayService", "RayCronJob"]

    @Test func everyRouteAnswersEveryKindWith200AndTheRequestsUID() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for kind in Self.kinds {
                    let paths = [
                        "/mutate", "/validate", "/mutate?timeout=10s", "/validate?timeout=5s",
                        "/mutate-ray-io-v1-\(kind.lowercased())", "/validate-ray-io-v1-\(kind.lowercased())",
                    ]
                    for operation in ["CREATE", "UPDATE", "DELETE"] {
                        for path in paths {
                            let uid = "uid-\(kind)-\(operation)-\(path)"
                            let response = try await client.review(
                                server.baseURL + path, Reviews.body(uid: uid, kind: kind, operation: operation))
                            #expect(response.status == 200, "\(path) \(kind) \(operation): \(response.text)")
                            #expect(response.header("content-type") == "application/json")
                            let review = try response.json()
                            #expect(review["apiVersion"] == "admission.k8s.io/v1")
                            #expect(review["kind"] == "AdmissionReview")
                            #expect(review["response"]?["uid"] == .string(uid))
                            #expect(
                                review["response"]?["allowed"] == true,
                                "\(path) \(kind) \(operation): \(review["response"]?["status"]?["message"]?.stringValue ?? "")"
                            )
                            // A patch comes with its type and decodes as a JSON Patch; validation,
                            // DELETE and UPDATEs that change nothing never patch.
                            if let patch = review["response"]?["patch"]?.stringValue {
                                #expect(review["response"]?["patchType"] == "JSONPatch")
                                let bytes = try #require(Data(base64Encoded: patch))
                                #expect(throws: Never.self) { try JSONPatch(json: JSONParser().parse(Array(bytes))) }
                                #expect(path.hasPrefix("/mutate") && operation == "CREATE", "\(path) \(operation)")
                            } else {
                                #expect(review["response"]?["patchType"] == nil)
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func otherKindsAreAllowedUnchanged() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                var review = Reviews.body(uid: "pod-1", kind: "Pod")
                review = try JSONPatch([.replace(path: ["request", "kind", "group"], value: "")]).apply(to: review)
                let response = try await client.review(server.baseURL + "/validate", review)
                #expect(response.status == 200)
                #expect(try response.json()["response"]?["allowed"] == true)
            }
        }
    }

    @Test func malformedReviewsGet400WithAReason() async throws {
        let missingUID = try JSONPatch([.remove(path: ["request", "uid"])]).apply(to: Reviews.body())
        let cases: [(name: String, body: [UInt8], reason: String)] = [
            ("malformed JSON", Array(#"{"apiVersion": "admission.k8s.io/v1", "kind": "#.utf8), "not valid JSON"),
            ("not a review", Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{}}"#.utf8), "apiVersion"),
            ("missing uid", missingUID.encoded(), "request.uid"),
            ("deep nesting", Array(String(repeating: "[", count: 100_000).utf8), "nesting deeper than"),
            ("empty body", [], "empty document"),
            ("invalid UTF-8", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], "UTF-8"),
        ]
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for testCase in cases {
                    let response = try await client.send(server.baseURL + "/mutate", body: testCase.body)
                    #expect(response.status == 400, "\(testCase.name)")
                    #expect(response.text.contains(testCase.reason), "\(testCase.name): \(response.text)")
                }
                // The server keeps serving after bad input.
                let after = try await client.review(server.baseURL + "/validate", Reviews.body(uid: "after"))
                #expect(after.status == 200)
            }
        }
    }

    @Test func bodiesOverSevenMiBGet413() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let large = [UInt8](repeating: UInt8(ascii: " "), count: 8 * 1024 * 1024)
                let response = try await client.send(server.baseURL + "/mutate", body: large)
                #expect(response.status == 413)
                // 7 MiB of padding around a real review is still accepted.
                var padded = Reviews.body(uid: "big").encoded()
                padded.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: 7 * 1024 * 1024 - padded.count))
                let accepted = try await client.send(server.baseURL + "/mutate", body: padded)
                #expect(accepted.status == 200)
                #expect(try accepted.json()["response"]?["uid"] == "big")
            }
        }
    }

    @Test func unknownPathsMethodsAndMediaTypesAreRefused() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let body = Reviews.body().encoded()
                let unknown = try await client.send(server.baseURL + "/admit", body: body)
                #expect(unknown.status == 404)
                let wrongKindPath = try await client.send(server.baseURL + "/mutate-ray-io-v1-pod", body: body)
                #expect(wrongKindPath.status == 404)
                let get = try await client.send(server.baseURL + "/mutate", method: .GET, contentType: nil)
                #expect(get.status == 405)
                #expect(get.header("allow") == "POST")
                let put = try await client.send(server.baseURL + "/validate", method: .PUT, body: body)
                #expect(put.status == 405)
                let text = try await client.send(server.baseURL + "/validate", body: body, contentType: "text/plain")
                #expect(text.status == 415)
                let withCharset = try await client.send(
                    server.baseURL + "/validate", body: body, contentType: "application/json; charset=utf-8")
                #expect(withCharset.status == 200)
            }
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let wet = try await client.review(server.baseURL + "/mutate", Reviews.body(uid: "same"))
                let dryReview = try JSONPatch([.replace(path: ["request", "dryRun"], value: true)]).apply(
                    to: Reviews.body(uid: "same"))
                let dry = try await client.review(server.baseURL + "/mutate", dryReview)
                #expect(wet.body == dry.body)
            }
        }
    }
}

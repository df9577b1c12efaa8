import AsyncHTTPClient
import Foundation
import NIOSSL
import RayAdmission
import Testing

/// Hostile and broken input through the live server (issue 6, hardening): every case gets the
/// right status, and the server keeps answering well-formed reviews afterwards.
@Suite(.serialized)
struct BadInputTests {
    static let fixture: [UInt8] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RayAdmissionTests/Fixtures/reviews/raycluster-create.json")
        return (try? Array(Data(contentsOf: url))) ?? []
    }()

    static func fixtureReview() throws -> JSONValue {
        try JSONParser().parse(fixture)
    }

    /// A well-formed review still gets its answer.
    static func expectStillServing(_ client: HTTPClient, _ server: TestServer, uid: String) async throws {
        let response = try await client.review(server.baseURL + "/mutate", Reviews.body(uid: uid))
        #expect(response.status == 200)
        #expect(try response.json()["response"]?["uid"] == .string(uid))
    }

    @Test func truncatedBodiesGet400AtEveryCut() async throws {
        let body = Self.fixture
        #expect(body.count > 1000)
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                // 64 cuts spread over the whole review, each inside a different token.
                for cut in stride(from: 1, to: body.count - 1, by: body.count / 64) {
                    let response = try await client.send(server.baseURL + "/mutate", body: Array(body[..<cut]))
                    #expect(response.status == 400, "cut at \(cut)")
                    #expect(response.text.contains("not valid JSON"), "cut at \(cut): \(response.text)")
                }
                try await Self.expectStillServing(client, server, uid: "after-truncation")
            }
        }
    }

    @Test func hostileDocumentsGetAClearAnswer() async throws {
        let review = try Self.fixtureReview()
        let text = String(decoding: Self.fixture, as: UTF8.self)
        let hugeLabel = String(repeating: "x", count: 7 * 1024 * 1024 - Self.fixture.count - 1024)
        let withHugeString = try JSONPatch([
            .add(path: ["request", "object", "metadata", "labels", "huge"], value: .string(hugeLabel))
        ]).apply(to: review)
        let hugeNumber = text.replacingOccurrences(of: "\"replicas\":1,", with: "\"replicas\":1e999999,")
        #expect(hugeNumber != text)
        let duplicateKey = text.replacingOccurrences(of: "\"uid\":", with: "\"uid\": \"x\", \"uid\":")
        let noRequest = try JSONPatch([.remove(path: ["request"])]).apply(to: review)
        let nullObject = try JSONPatch([.replace(path: ["request", "object"], value: .null)]).apply(to: review)
        let alpha = try JSONPatch([.replace(path: ["request", "kind", "version"], value: "v1alpha1")]).apply(to: review)
        let unknownKind = try JSONPatch([.replace(path: ["request", "kind", "kind"], value: "RayThing")]).apply(
            to: review)
        let requestIsArray = try JSONPatch([.replace(path: ["request"], value: [1, 2])]).apply(to: review)
        let uidIsNumber = try JSONPatch([.replace(path: ["request", "uid"], value: 7)]).apply(to: review)
        let deepObject = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)

        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let url = server.baseURL + "/mutate"
                // 7 MiB in one string: read, reviewed and answered.
                let huge = try await client.review(url, withHugeString)
                #expect(huge.status == 200)
                #expect(try huge.json()["response"]?["uid"] != nil)

                // 1e999999 overflows every number type: the field is named, nothing crashes.
                let number = try await client.send(server.baseURL + "/validate", body: Array(hugeNumber.utf8))
                #expect(number.status == 200)
                #expect(try number.json()["response"]?["allowed"] == false)
                #expect(number.text.contains("replicas: Invalid value"), "\(number.text)")

                let duplicate = try await client.send(url, body: Array(duplicateKey.utf8))
                #expect(duplicate.status == 400)
                #expect(duplicate.text.contains("duplicate object key \"uid\""))

                for (name, body, reason) in [
                    ("no request", noRequest, "request is missing"),
                    ("request is an array", requestIsArray, "request is missing or not an object"),
                    ("uid is a number", uidIsNumber, "request.uid"),
                ] {
                    let response = try await client.review(url, body)
                    #expect(response.status == 400, "\(name)")
                    #expect(response.text.contains(reason), "\(name): \(response.text)")
                }

                // A well-formed review without the object it needs is refused inside the review.
                let null = try await client.review(url, nullObject)
                #expect(null.status == 200)
                #expect(try null.json()["response"]?["allowed"] == false)
                #expect(try null.json()["response"]?["status"]?["code"] == 400)
                #expect(null.text.contains("request.object is required for CREATE"))

                // Versions and kinds this webhook does not know are let through, unchanged.
                for body in [alpha, unknownKind] {
                    let response = try await client.review(url, body)
                    #expect(response.status == 200)
                    #expect(try response.json()["response"]?["uid"] != nil)
                }

                let deep = try await client.send(url, body: deepObject)
                #expect(deep.status == 400)
                #expect(deep.text.contains("nesting deeper than"))

                try await Self.expectStillServing(client, server, uid: "after-hostile")
            }
        }
    }

    /// Every node of a real RayCluster replaced by a value of another JSON type, on both paths:
    /// each review is answered with 200, a patch from /mutate still applies to the object, and
    /// every Ray field of the wrong type is denied by name. (Metadata and the Kubernetes types in
    /// pod templates are the API server's to check, against the CRD schema, before it stores.)
    @Test func wrongTypesAtEveryLevelOfARayClusterAreAnsweredAndRayFieldsNamed() async throws {
        let review = try Self.fixtureReview()
        let object = try #require(review["request"]?["object"])
        let pointers = Self.allPointers(in: object, at: ["request", "object"]).dropFirst()
        #expect(pointers.count > 100)
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                var rayFields = 0
                for (pointer, value) in pointers {
                    let replacement: JSONValue =
                        switch value {
                        case .string: 12
                        case .number, .bool, .null: "text"
                        case .array: ["a": 1]
                        case .object: [1, "two"]
                        }
                    let body = try JSONPatch([.replace(path: pointer, value: replacement)]).apply(to: review)
                    let mutated = try await client.review(server.baseURL + "/mutate", body)
                    #expect(mutated.status == 200, "\(pointer)")
                    if let patch = try mutated.json()["response"]?["patch"]?.stringValue {
                        let decoded = try #require(Data(base64Encoded: patch))
                        let operations = try JSONPatch(json: try JSONParser().parse(Array(decoded)))
                        #expect(throws: Never.self, "\(pointer)") {
                            try operations.apply(to: body["request"]?["object"] ?? .null)
                        }
                    }
                    let validated = try await client.review(server.baseURL + "/validate", body)
                    #expect(validated.status == 200, "\(pointer)")
                    let tokens = Array(pointer.tokens.dropFirst(2))
                    let isRayField =
                        tokens.count > 1 && tokens[0] == "spec" && !tokens.contains("template")
                        && !tokens.contains("metadata")
                    guard isRayField else { continue }
                    rayFields += 1
                    let answer = try validated.json()["response"]
                    #expect(answer?["allowed"] == false, "\(pointer) of the wrong type was allowed")
                    let name = tokens.last { Int($0) == nil } ?? ""
                    let message = answer?["status"]?["message"]?.stringValue ?? ""
                    #expect(message.contains(name), "\(pointer): \(message.prefix(300))")
                }
                #expect(rayFields > 20)
                try await Self.expectStillServing(client, server, uid: "after-types")
            }
        }
    }

    @Test func plainHTTPOnTheTLSPortIsDroppedAndServingGoesOn() async throws {
        try await TestServer.with { server in
            let plain = try await RawConnection.connect(port: server.port, trusting: nil)
            try await plain.write(RawConnection.post("/mutate", body: Reviews.body().encoded()))
            #expect(try await plain.readUntilClosed(timeout: .seconds(5)), "the connection should be closed")
            await plain.close()
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                try await Self.expectStillServing(client, server, uid: "after-plain")
            }
        }
    }

    @Test func aTLS10OnlyClientIsRefused() async throws {
        try await TestServer.with { server in
            do {
                let old = try await RawConnection.connect(
                    port: server.port, trusting: server.certificates.caCertificatePEM, minimumTLSVersion: .tlsv1,
                    maximumTLSVersion: .tlsv1)
                try? await old.write(RawConnection.post("/mutate", body: Reviews.body().encoded()))
                let response = try await old.readResponse(timeout: .seconds(5))
                #expect(response == nil, "a TLS 1.0 client got an answer")
                await old.close()
            } catch {
                // Refused during connect: also right.
            }
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                try await Self.expectStillServing(client, server, uid: "after-tls10")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            var batch: [UInt8] = []
            let uids = (0..<5).map { "pipelined-\($0)" }
            for uid in uids {
                batch += RawConnection.post("/mutate", body: Reviews.body(uid: uid).encoded())
            }
            try await connection.write(batch)
            for uid in uids {
                let response = try #require(try await connection.readResponse(), "no answer for \(uid)")
                #expect(response.status == 200)
                #expect(response.body.contains("\"uid\":\"\(uid)\""), "\(uid): \(response.body.prefix(200))")
            }
            await connection.close()
        }
    }

    @Test func aRequestWrittenOneByteAtATimeIsAnswered() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            let request = RawConnection.post("/mutate", body: Reviews.body(uid: "bytewise").encoded())
            for byte in request {
                try await connection.write([byte])
            }
            let response = try #require(try await connection.readResponse())
            #expect(response.status == 200)
            #expect(response.body.contains("\"uid\":\"bytewise\""))
            await connection.close()
        }
    }

    @Test func aClientAskingToCloseIsToldSoAndTheConnectionEndsCleanly() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            try await connection.write(
                RawConnection.post("/mutate", body: Reviews.body().encoded(), extraHeaders: "Connection: close\r\n"))
            let response = try #require(try await connection.readResponse())
            #expect(response.status == 200)
            #expect(response.head.lowercased().contains("\r\nconnection: close"), "\(response.head)")
            #expect(try await connection.readUntilClosed(timeout: .seconds(5)))
            await connection.close()

            // Keep-alive requests are not told to close.
            let kept = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            try await kept.write(RawConnection.post("/mutate", body: Reviews.body().encoded()))
            let first = try #require(try await kept.readResponse())
            #expect(!first.head.lowercased().contains("connection: close"))
            await kept.close()
        }
    }

    /// Every value in `value` with its pointer, objects and arrays included.
    static func allPointers(in value: JSONValue, at pointer: JSONPointer) -> [(JSONPointer, JSONValue)] {
        var result = [(pointer, value)]
        switch value {
        case .object(let object):
            for member in object {
                result += allPointers(in: member.value, at: pointer.appending(member.key))
            }
        case .array(let array):
            for (index, element) in array.enumerated() {
                result += allPointers(in: element, at: pointer.appending(String(index)))
            }
        default:
            break
        }
        return result
    }
}

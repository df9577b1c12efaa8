import Testing

@testable import RayAdmission

struct JSONObjectTests {
    /// Small member lists with distinct keys are kept as given; a duplicate, in a list of up to 8
    /// members (2 and 7 here, plus the duplicate) or a longer one, replaces the earlier value in
    /// its position, as a dictionary literal would.
    @Test(arguments: [2, 7, 8, 20])
    func laterDuplicateReplacesEarlierInPlace(_ count: Int) {
        var members = (0..<count).map { JSONObject.Member("k\($0)", .number(JSONNumber($0))) }
        members.append(JSONObject.Member("k1", "replaced"))
        let object = JSONObject(members)
        #expect(object.count == count)
        #expect(object.keys == (0..<count).map { "k\($0)" })
        #expect(object["k1"] == "replaced")
        #expect(object["k0"] == .number(JSONNumber(0)))
    }

    @Test(arguments: [1, 3, 8, 12])
    func distinctKeysKeepTheirOrder(_ count: Int) {
        let members = (0..<count).reversed().map { JSONObject.Member("key-\($0)", .bool($0 % 2 == 0)) }
        let object = JSONObject(members)
        #expect(object.members == members)
    }

    @Test func literalAndMemberFormsAreEqual() {
        let literal: JSONValue = ["name": "metrics", "containerPort": 8080, "protocol": "TCP"]
        let members = JSONValue.object(
            JSONObject([.init("name", "metrics"), .init("containerPort", 8080), .init("protocol", "TCP")]))
        #expect(literal == members)
    }
}

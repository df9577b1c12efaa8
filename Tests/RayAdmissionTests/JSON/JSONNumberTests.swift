import Testing

@testable import RayAdmission

struct JSONNumberTests {
    /// The byte parser must read integers exactly as `Int64(_: String)` does, overflow included.
    @Test(arguments: [
        "0", "-0", "+5", "7", "42", "007", "-12", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "99999999999999999999", "", "-", "+", "1.0", "1e3",
        "12a", " 1", "1 ", "--1", "-+1", "0x10",
    ])
    func readsIntegersAsInt64Does(_ text: String) {
        var bytes = text
        let parsed = bytes.withUTF8 { JSONNumber.integer($0) }
        #expect(parsed == Int64(text))
    }

    @Test func integerViewsNeedAnIntegerLiteral() throws {
        #expect(JSONNumber(text: "3")?.int64Value == 3)
        #expect(JSONNumber(text: "-3")?.intValue == -3)
        #expect(JSONNumber(text: "3.0")?.int64Value == nil)
        #expect(JSONNumber(text: "3e0")?.intValue == nil)
        #expect(JSONNumber(text: "9223372036854775807")?.intValue == Int.max)
        #expect(JSONNumber(text: "9223372036854775808")?.int64Value == nil)
        #expect(JSONNumber(Int64.min).int64Value == Int64.min)
    }
}

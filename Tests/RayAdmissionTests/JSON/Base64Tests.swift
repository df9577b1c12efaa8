import Foundation
import Testing

@testable import RayAdmission

struct Base64Tests {
    @Test(arguments: ["", "f", "fo", "foo", "foob", "fooba", "foobar"])
    func rfc4648Vectors(_ text: String) {
        let expected = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        #expect(Base64.encode(Array(text.utf8)) == expected[text])
    }

    @Test func matchesFoundationOnEveryByteAndLength() {
        var bytes: [UInt8] = []
        for length in 0..<300 {
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "length \(length)")
            bytes.append(UInt8(truncatingIfNeeded: length &* 37 &+ 11))
        }
    }

    @Test func appendsAfterWhatIsAlreadyWritten() {
        var output = Array(#"{"patch":""#.utf8)
        Base64.encode(Array("foobar!".utf8), into: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"{"patch":"Zm9vYmFyIQ=="#)
    }

    @Test func patchBytesEqualTheTreeEncoding() throws {
        let patch = try JSONPatch(
            json: JSONParser().parse(
                #"[{"op":"add","path":"/a~1b/-","value":{"x":["\n",1.50]}},{"op":"remove","path":"/c/0"},"#
                    + #"{"op":"replace","path":"/d","value":null},{"op":"move","from":"/e~0","path":"/f"},"#
                    + #"{"op":"copy","from":"/g","path":"/h"},{"op":"test","path":"","value":true}]"#))
        #expect(patch.encoded() == patch.jsonValue.encoded())
        #expect(JSONPatch().encoded() == Array("[]".utf8))
    }
}

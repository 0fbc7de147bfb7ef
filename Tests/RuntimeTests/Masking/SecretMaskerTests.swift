import Host
import LeadJSON
import XCTest

/// The masker, form by form: each row is a secret, a text and what the text must become.
final class SecretMaskerTests: XCTestCase {
    struct Row {
        let form: String
        let secrets: [String]
        let text: String
        let masked: String
        init(_ form: String, _ secrets: [String], _ text: String, _ masked: String) {
            self.form = form
            self.secrets = secrets
            self.text = text
            self.masked = masked
        }
    }

    static let key = "s3cr+t/KEY="  // base64 czNjcit0L0tFWT0=
    static let tilde = "k>>?~~~~"  // base64 az4+P35+fn4=, base64url az4-P35-fn4

    static let rows: [Row] = [
        Row("as is", [key], "pw=s3cr+t/KEY= end", "pw=*** end"),
        Row("percent-encoded, upper-case hex", [key], "pw=s3cr%2Bt%2FKEY%3D&x=1", "pw=***&x=1"),
        Row("percent-encoded, lower-case hex", [key], "pw=s3cr%2bt%2fKEY%3d&x=1", "pw=***&x=1"),
        Row("every byte percent-encoded", [key], "%73%33%63%72%2B%74%2F%4B%45%59%3D", "***"),
        Row("form encoding: + for a space", ["open sesame 42"], "pw=open+sesame+42&x=1", "pw=***&x=1"),
        Row("percent-encoded space", ["open sesame 42"], "pw=open%20sesame%2042", "pw=***"),
        Row("in a user:pass@ URL", [key], "https://user:s3cr%2Bt%2FKEY%3D@proxy.example:8080/", "https://user:***@proxy.example:8080/"),
        Row("upper case", [key], "S3CR+T/KEY=", "***"),
        Row("mixed case", [key], "key S3cR+t/kEy= here", "key *** here"),
        Row("hex, lower case", [key], "sig=733363722b742f4b45593d", "sig=***"),
        Row("hex, upper case", [key], "sig=733363722B742F4B45593D", "sig=***"),
        Row("base64", [key], "czNjcit0L0tFWT0=", "***"),
        Row("base64 inside a run, alignment 0", [key], "Basic YWI6czNjcit0L0tFWT0=", "Basic YWI6***"),
        Row("base64 inside a run, alignment 1", [key], "Basic YWJjOnMzY3IrdC9LRVk9", "Basic YWJjO***"),
        Row("base64 inside a run, alignment 2", [key], "Basic dXNlcjpzM2NyK3QvS0VZPQ==", "Basic dXNlcj***"),
        Row("base64 with + and /", [tilde], "t=az4+P35+fn4=;", "t=***;"),
        Row("base64url", [tilde], "t=az4-P35-fn4;", "t=***;"),
        Row("base64url inside a JWT, alignment 2", [tilde], "eyJhIjoxfS5rPj4_fn5-fg==.sig", "eyJhIjoxfS***.sig"),
        Row("base64 percent-encoded in a query", [tilde], "t=az4%2BP35%2Bfn4%3D&x", "t=***&x"),
        Row("JSON-escaped", [#"pa"ss\word/"#], #"{"k":"pa\"ss\\word\/"}"#, #"{"k":"***"}"#),
        Row("JSON \\u escape", ["tab\there"], #"{"k":"tab\u0009here"}"#, #"{"k":"***"}"#),
        Row("a number", ["73918264"], "pin=73918264 ok", "pin=*** ok"),
        Row("bytes, not characters", [key], "s3cr+t/KEY=\u{301}", "***\u{301}"),
        Row("several secrets, overlapping", ["abcdef", "defghi"], "xabcdefghiy", "x***y"),
        Row("a near miss is kept", [key], "s3cr+t/KEX=", "s3cr+t/KEX="),
        Row("upper case and percent-encoded at once", [key], "S3CR%2bT%2fkey%3D", "***"),
        Row("overlapping occurrences", ["abab"], "xabababy", "x***y"),
        Row("a repetitive secret among near misses", ["aaaa"], "aaab aaa aaaa", "aaab aaa ***"),
        Row("a short secret alone", ["ab"], "ab", "***"),
        Row("a short secret as a value", ["ab"], #"code=ab&x=1 {"c":"ab"} 'ab' (ab)"#, #"code=***&x=1 {"c":"***"} '***' (***)"#),
        Row("a short secret inside words is kept", ["ab"], "about a tab, ab-cd, ab.c, abab", "about a tab, ab-cd, ab.c, abab"),
        Row("a one-byte secret", ["7"], "id 17 of 7", "id 17 of ***"),
    ]

    func testEveryForm() {
        for row in Self.rows {
            let masker = SecretMasker(secrets: row.secrets)
            XCTAssertEqual(masker.mask(row.text), row.masked, row.form)
            XCTAssertEqual(String(decoding: masker.mask(Array(row.text.utf8)), as: UTF8.self), row.masked, row.form + " (bytes)")
        }
    }

    func testWithoutSecretsTextIsReturnedAsItIs() {
        let masker = SecretMasker()
        XCTAssertTrue(masker.isEmpty)
        XCTAssertEqual(masker.mask("Basic dXNlcjpzM2NyK3QvS0VZPQ=="), "Basic dXNlcjpzM2NyK3QvS0VZPQ==")
        XCTAssertTrue(SecretMasker(secrets: [""]).isEmpty, "an empty secret masks nothing")
    }

    func testAddingRegistersOnceAndMergingKeepsBoth() {
        var masker = SecretMasker(secrets: ["first-secret"])
        masker.add("second-secret")
        masker.add("second-secret")
        XCTAssertEqual(masker.secrets.count, 2)
        let merged = SecretMasker(secrets: ["third-secret"]).merging(masker)
        XCTAssertEqual(merged.mask("first-secret second-secret third-secret"), "*** *** ***")
    }

    func testCredentialHeaders() {
        let rows: [(String, String, String)] = [
            ("Authorization", "Basic dXNlcjpwdw==", "Basic ***"),
            ("authorization", "Bearer eyJhbGciOi.x.y", "Bearer ***"),
            ("Authorization", "tok-SECRET-9", "***"),
            ("PROXY-AUTHORIZATION", "Digest username=\"u\", response=\"r\"", "Digest ***"),
            ("Cookie", "sid=abc123; lang=de", "sid=***; lang=***"),
            ("Set-Cookie", "sid=abc123; Path=/; HttpOnly", "sid=***; Path=/; HttpOnly"),
            ("X-Api-Key", "k-123", "k-123"),
        ]
        for (name, value, masked) in rows {
            XCTAssertEqual(CredentialHeaders.masked(name: name, value: value), masked, name)
        }
    }

    func testCredentialHeadersWrittenInText() {
        let rows: [(String, String)] = [
            ("Authorization: Basic dXNlcjpwdw==", "Authorization: Basic ***"),
            (#"{"Authorization":"Bearer a.b.c","X":"1"}"#, #"{"Authorization":"Bearer ***","X":"1"}"#),
            ("h: proxy-authorization=Basic xyz&next=1", "h: proxy-authorization=Basic ***&next=1"),
            ("set-cookie: sid=1; Path=/\ncookie: a=b", "set-cookie: sid=***; Path=/\ncookie: a=***"),
            ("authorization failed for user 7", "authorization failed for user 7"),
            ("preauthorization: x", "preauthorization: x"),
        ]
        for (text, masked) in rows {
            XCTAssertEqual(CredentialHeaders.maskedInText(text), masked, text)
        }
    }

    func testJSONValuesKeysNumbersAndCredentialHeaders() {
        let masker = SecretMasker(secrets: ["73918264", "s3cr+t/KEY="])
        let value: JSONValue = .object([
            "pin": .integer(73918264), "count": .integer(3), "ratio": .number(0.5),
            "s3cr+t/KEY=": .string("as a key"), "list": .array([.string("S3CR+T/KEY="), .bool(true), .null]),
            "headers": .object(["Authorization": .string("Bearer abc"), "Cookie": .string("a=1")]),
        ])
        XCTAssertEqual(
            masker.mask(value),
            .object([
                "pin": .string("***"), "count": .integer(3), "ratio": .number(0.5),
                "***": .string("as a key"), "list": .array([.string("***"), .bool(true), .null]),
                "headers": .object(["Authorization": .string("Bearer ***"), "Cookie": .string("a=***")]),
            ]))
        XCTAssertEqual(
            SecretMasker().mask(JSONValue.object(["authorization": .string("Basic x")])),
            .object(["authorization": .string("Basic ***")]), "credential headers are masked without secrets too")
    }
}

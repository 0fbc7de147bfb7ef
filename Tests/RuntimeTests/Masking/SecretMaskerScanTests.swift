import Host
import XCTest

/// The masker jumps to the next byte a secret can start with (`FirstByteScan`, memchr)
/// instead of stepping byte by byte: no occurrence may be skipped, whatever surrounds it
/// (near misses that share the secret's start, its first letter in either case, a space
/// written as `+`, the very first and last bytes of the text).
final class SecretMaskerScanTests: XCTestCase {
    /// A fixed pseudo-random sequence, so a failure can be run again.
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    func testEveryOccurrenceAmongNearMissesIsMasked() {
        let secrets = ["Open sesame 42", "s3cr+t/KEY="]
        let masker = SecretMasker(secrets: secrets)
        var random = Sequence(state: 7)
        let filler = Array("abcdefghijklmnopqrstuvwxyz0123456789 &=:/\"{}OoSs3".utf8)
        for round in 0..<300 {
            var text = ""
            var placed = 0
            for _ in 0..<(1 + random.next(6)) {
                // Filler with near misses: the secret's first bytes, cut short.
                for _ in 0..<random.next(40) { text.append(Character(UnicodeScalar(filler[random.next(filler.count)]))) }
                let secret = secrets[random.next(secrets.count)]
                text += String(secret.prefix(1 + random.next(secret.count - 1)))
                text += "|"
                // The secret itself, in a random case, its spaces as written in a form.
                var written = random.next(2) == 0 ? secret.uppercased() : secret.lowercased()
                if random.next(2) == 0 { written = written.replacingOccurrences(of: " ", with: "+") }
                text += written
                placed += 1
            }
            if random.next(2) == 0 { text = "|" + text }
            let masked = masker.mask(text)
            for secret in secrets {
                for form in [secret, secret.replacingOccurrences(of: " ", with: "+")] {
                    XCTAssertFalse(
                        masked.lowercased().contains(form.lowercased()), "round \(round): \(form) left in \(masked) (from \(text))")
                }
            }
            XCTAssertGreaterThanOrEqual(masked.components(separatedBy: "***").count - 1, 1, "round \(round): \(text)")
            XCTAssertLessThanOrEqual(masked.components(separatedBy: "***").count - 1, placed, "round \(round): \(masked)")
        }
    }

    func testASecretAtTheVeryStartOrEndAndATextWithoutItsFirstByte() {
        let masker = SecretMasker(secrets: ["Open sesame 42"])
        XCTAssertEqual(masker.mask("OPEN+SESAME+42"), "***")
        XCTAssertEqual(masker.mask("open sesame 42 tail"), "*** tail")
        XCTAssertEqual(masker.mask("head=Open+Sesame+42"), "head=***")
        let plain = String(repeating: "abcdefghijklmnpqrstuvwxyz", count: 100)
        XCTAssertEqual(masker.mask(plain), plain, "no byte a match can start with: untouched")
        XCTAssertEqual(masker.mask("oooooopen sesame 4open sesame 42"), "oooooopen sesame 4***")
    }
}

import COpenSSL
import Foundation
import LoopbackTesting
import XCTest

/// What `TestCertificate.make` puts into the certificate, read back with OpenSSL.
final class TestCertificateTests: XCTestCase {
    private func parse(_ pem: String) throws -> OpaquePointer {
        // The BIO reads the PEM in place: it must not outlive the C string.
        let x509 = pem.withCString { text -> OpaquePointer? in
            let bio = BIO_new_mem_buf(text, -1)
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        return try XCTUnwrap(x509)
    }

    func testDefaultsNameLocalhostAndTheLoopbackAddress() throws {
        let certificate = try TestCertificate.make()
        XCTAssertTrue(certificate.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        XCTAssertTrue(certificate.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let x509 = try parse(certificate.certificatePEM)
        defer { X509_free(x509) }
        XCTAssertEqual(X509_get_version(x509), 2, "X.509 v3")
        XCTAssertEqual(X509_check_host(x509, "localhost", 0, 0, nil), 1)
        XCTAssertEqual(X509_check_ip_asc(x509, "127.0.0.1", 0), 1)
        XCTAssertEqual(X509_check_host(x509, "other.example", 0, 0, nil), 0)
        XCTAssertEqual(X509_check_ca(x509), 1, "CA:TRUE, so it can be its own trust anchor")
        XCTAssertEqual(X509_check_issued(x509, x509), X509_V_OK, "self-signed")
        XCTAssertEqual(X509_verify(x509, X509_get0_pubkey(x509)), 1, "signed with its own key")
        XCTAssertLessThan(X509_cmp_current_time(X509_get0_notBefore(x509)), 0)
        XCTAssertGreaterThan(X509_cmp_current_time(X509_get0_notAfter(x509)), 0)
        var name = [CChar](repeating: 0, count: 64)
        XCTAssertEqual(X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_commonName, &name, Int32(name.count)), 9)
        XCTAssertEqual(String(decoding: name.prefix(9).map { UInt8(bitPattern: $0) }, as: UTF8.self), "localhost")
    }

    func testCustomNamesAndFreshKeys() throws {
        let certificate = try TestCertificate.make(
            commonName: "relay.test", dnsNames: ["a.test", "b.test"], ipAddresses: ["127.0.0.1", "::1"])
        let x509 = try parse(certificate.certificatePEM)
        defer { X509_free(x509) }
        XCTAssertEqual(X509_check_host(x509, "b.test", 0, 0, nil), 1)
        XCTAssertEqual(X509_check_ip_asc(x509, "::1", 0), 1)
        XCTAssertEqual(X509_check_host(x509, "localhost", 0, 0, nil), 0)
        XCTAssertNotEqual(try TestCertificate.make().privateKeyPEM, try TestCertificate.make().privateKeyPEM)
    }

    func testWriteCertificateWritesThePEMToAFreshFile() throws {
        let certificate = try TestCertificate.make()
        let first = try certificate.writeCertificate()
        let second = try certificate.writeCertificate()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(first.hasSuffix(".pem"), first)
        XCTAssertEqual(try String(contentsOfFile: first, encoding: .utf8), certificate.certificatePEM)
    }

    func testRejectsANameThatWouldSplitTheAltNameList() {
        XCTAssertThrowsError(try TestCertificate.make(dnsNames: ["a.test,IP:10.0.0.1"])) { error in
            XCTAssertTrue(error is LoopbackTLSError, "\(error)")
        }
    }
}

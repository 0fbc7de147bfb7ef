import Foundation

/// The opaque cursor of `GET /api/v1/reports/leads`: where the next page starts (after the
/// last lead of this one, in the store's order of arrival). Its form (`c1.` and base64url)
/// is not part of the API: clients pass back what they got.
public enum ReportCursor {
    static let prefix = "c1."

    /// The cursor after the lead with this `seq`.
    public static func after(_ seq: Int64) -> String {
        let bytes = Data("seq:\(seq)".utf8).base64EncodedString()
        return prefix
            + bytes.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=", with: "")
    }

    /// The `seq` a cursor holds; nil when it is not one this service made.
    public static func seq(_ cursor: String) -> Int64? {
        guard cursor.hasPrefix(prefix), cursor.count <= 64 else { return nil }
        var text = String(cursor.dropFirst(prefix.count)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("seq:"),
            let seq = Int64(decoded.dropFirst(4)), seq >= 0
        else { return nil }
        return seq
    }
}

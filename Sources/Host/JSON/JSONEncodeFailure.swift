import LeadJSON

/// Why a Lua value could not be encoded, and where: the path is collected while the
/// encoder unwinds, innermost component first, and shown as `$.lead.items[2].price`
/// (array positions are Lua indices, from 1).
struct JSONEncodeFailure {
    enum Component {
        case key(String)
        case index(Int64)
    }

    var reason: String
    /// The call's instruction budget or deadline ran out while encoding.
    var limit: LuaLimit?
    /// The text would have been longer than this many bytes (the encoder's `maxBytes`).
    var overBytes: Int?
    /// Innermost first.
    var reversedPath: [Component] = []

    /// `"<reason> at <path>"` (a limit or size is the whole value's, so it names no path).
    var message: String {
        limit != nil || overBytes != nil ? reason : "\(reason) at \(Self.format(reversedPath.reversed()))"
    }

    /// `$`, then `.name` for identifier-like keys, `["a b"]` for other keys and `[3]` for
    /// array positions; a very deep path keeps its start and its end.
    static func format(_ path: [Component]) -> String {
        var text = "$"
        func append(_ c: Component) {
            switch c {
            case .index(let i): text += "[\(i)]"
            case .key(let k) where isIdentifier(k): text += "." + k
            case .key(let k): text += "[" + JSONValue.string(k).encoded() + "]"
            }
        }
        if path.count > 12 {
            path.prefix(6).forEach(append)
            text += "...(\(path.count - 11) more)..."
            path.suffix(5).forEach(append)
        } else {
            path.forEach(append)
        }
        return text
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return key.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        }
    }
}

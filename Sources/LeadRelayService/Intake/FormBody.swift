import Foundation
import LeadJSON

/// An `application/x-www-form-urlencoded` body read into the JSON object the intake reads
/// (what PHP senders and HTML forms post): `name=value` pairs, `+` a space, percent-escapes
/// decoded; `address[city]=Berlin` a member of an object, `items[]=a&items[]=b` a list,
/// `items[0][sku]=X` an object in a list. Every value is text (the intake takes text for
/// numbers). A name given twice keeps its last value, as PHP does.
enum FormBody {
    /// The object, or nil when the body is not valid form encoding (a bad escape, not UTF-8,
    /// a name that mixes `[]` shapes).
    static func read(_ bytes: some Collection<UInt8>) -> JSONValue? {
        var root: [String: JSONValue] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { return nil }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            guard let path = path(name), set(.string(value), at: path[...], in: &root) else { return nil }
        }
        return .object(root)
    }

    /// `a[b][]` as ["a", "b", ""]; nil for an unbalanced bracket.
    static func path(_ name: String) -> [String]? {
        guard let open = name.firstIndex(of: "[") else { return [name] }
        var parts = [String(name[..<open])]
        var rest = name[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            parts.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return parts[0].isEmpty ? nil : parts
    }

    /// Puts `value` at `path` under `object`; false when the path contradicts what is there.
    static func set(_ value: JSONValue, at path: ArraySlice<String>, in object: inout [String: JSONValue]) -> Bool {
        guard let key = path.first else { return false }
        let rest = path.dropFirst()
        if rest.isEmpty {
            object[key] = value
            return true
        }
        if rest.first == "" || Int(rest.first!) != nil {
            var list = object[key]?.arrayValue ?? []
            if object[key] != nil, object[key]?.arrayValue == nil { return false }
            guard append(value, at: rest, in: &list) else { return false }
            object[key] = .array(list)
            return true
        }
        var inner = object[key]?.objectValue ?? [:]
        if object[key] != nil, object[key]?.objectValue == nil { return false }
        guard set(value, at: rest, in: &inner) else { return false }
        object[key] = .object(inner)
        return true
    }

    /// `[]` appends; `[n]` sets index n (the next index appends), with the rest of the path inside.
    static func append(_ value: JSONValue, at path: ArraySlice<String>, in list: inout [JSONValue]) -> Bool {
        let index = path.first == "" ? list.count : Int(path.first!)!
        guard index >= 0, index <= list.count, index < 1000 else { return false }
        let rest = path.dropFirst()
        if rest.isEmpty {
            if index == list.count { list.append(value) } else { list[index] = value }
            return true
        }
        var inner = index < list.count ? (list[index].objectValue ?? [:]) : [:]
        guard set(value, at: rest, in: &inner) else { return false }
        if index == list.count { list.append(.object(inner)) } else { list[index] = .object(inner) }
        return true
    }

    /// Percent-decoding with `+` as a space; nil for a bad escape or bytes that are not UTF-8.
    static func decode(_ part: some Collection<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(part.count)
        var iterator = part.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): out.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
                out.append(high << 4 | low)
            default: out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

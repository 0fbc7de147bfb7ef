// TEMPORARY stand-in for the JSON work landing from the json-module branch. Deleted on merge.
import CLua
import Foundation

public enum JSONValue: Sendable, Hashable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue { try parse(Array(string.utf8)) }
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        do {
            let o = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return from(o)
        } catch {
            throw JSONParseError(message: "\(error)", line: 0, column: 0, offset: 0)
        }
    }
    static func from(_ o: Any) -> JSONValue {
        switch o {
        case is NSNull: return .null
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            if n.stringValue.contains(".") || n.stringValue.contains("e") { return .number(n.doubleValue) }
            return .integer(n.int64Value)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(a.map(from))
        case let d as [String: Any]: return .object(d.mapValues(from))
        default: return .null
        }
    }
    public func encoded() -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return d.rounded() == d && abs(d) < 9e18 ? String(Int64(d)) : "\(d)"
        case .string(let s):
            var o = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                default: o.unicodeScalars.append(c)
                }
            }
            return o + "\""
        case .array(let a): return "[" + a.map { $0.encoded() }.joined(separator: ",") + "]"
        case .object(let d): return "{" + d.keys.sorted().map { JSONValue.string($0).encoded() + ":" + d[$0]!.encoded() }.joined(separator: ",") + "}"
        }
    }
    public func prettyEncoded() -> String { encoded() }
    public subscript(key: String) -> JSONValue? { if case .object(let d) = self { return d[key] }; return nil }
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var int64Value: Int64? { if case .integer(let i) = self { return i }; return nil }
    public var doubleValue: Double? { switch self { case .integer(let i): return Double(i); case .number(let d): return d; default: return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { self == .null }
}

public struct JSONParseError: Error, CustomStringConvertible {
    public var message: String; public var line: Int; public var column: Int; public var offset: Int
    public var description: String { "line \(line), column \(column): \(message)" }
}

public struct LuaValueError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

public enum LuaJSON {
    public static func encode(_ s: LuaState, at index: Int32, into out: inout [UInt8]) -> String? {
        do { out += Array(try s.jsonValue(at: index).encoded().utf8); return nil } catch { return error.message }
    }
    public static func decode(_ s: LuaState, _ bytes: UnsafeRawBufferPointer) -> String? {
        do { s.push(try JSONValue.parse(Array(bytes))); return nil } catch { return error.description }
    }
}

extension LuaState {
    public func push(_ value: JSONValue) {
        switch value {
        case .null: pushNull()
        case .bool(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let s): push(s)
        case .array(let a):
            newTable(arrayCount: Int32(a.count))
            for (i, v) in a.enumerated() { push(v); lua_rawseti(L, -2, lua_Integer(i + 1)) }
        case .object(let d):
            newTable(recordCount: Int32(d.count))
            for (k, v) in d { push(v); setRawField(-2, k) }
        }
    }
    public func jsonValue(at index: Int32) throws(LuaValueError) -> JSONValue {
        let i = absolute(index)
        switch lua_type(L, i) {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .bool(bool(at: i))
        case LUA_TNUMBER: if clua_isinteger(L, i) != 0 { return .integer(integer(at: i)!) }; return .number(number(at: i)!)
        case LUA_TSTRING: return .string(string(at: i)!)
        case LUA_TLIGHTUSERDATA where isNull(i): return .null
        case LUA_TTABLE:
            var dict: [String: JSONValue] = [:]
            var arr: [Int64: JSONValue] = [:]
            lua_pushnil(L)
            while lua_next(L, i) != 0 {
                let v = try jsonValue(at: -1)
                if lua_type(L, -2) == LUA_TNUMBER, let k = integer(at: -2) { arr[k] = v } else if let k = string(at: -2) { dict[k] = v }
                pop()
            }
            if dict.isEmpty && !arr.isEmpty { return .array((1...Int64(arr.count)).map { arr[$0] ?? .null }) }
            return .object(dict)
        default: throw LuaValueError(message: "unsupported value of type \(typeName(at: i))")
        }
    }
}

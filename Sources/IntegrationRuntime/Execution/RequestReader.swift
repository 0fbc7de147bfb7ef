import Host
import OutboundHTTP

/// Turns a script's request table (contract, section 3) into a wire `OutboundRequest`,
/// reading it with raw access only.
struct RequestReader {
    let s: LuaState
    let defaultTimeout: Double
    let maxTimeout: Double
    let maxResponseBytes: Int
    /// The request size limit: the longest body (`json`, `form` or `body`) a script may send.
    let maxBodyBytes: Int

    /// Why a request was refused: a shape the contract does not allow, or an exceeded
    /// limit (`limit`, e.g. the request size limit).
    struct ShapeError: Error, CustomStringConvertible {
        let description: String
        var limit: LuaLimit?
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func read(at index: Int32) throws(ShapeError) -> OutboundRequest {
        let t = s.absolute(index)
        guard s.isTable(t) else { throw ShapeError(description: "a request must be a table, got \(s.typeName(at: t))") }
        var method = "POST"
        if let m = try optionalString(t, "method") {
            method = m.uppercased()
            guard Self.methods.contains(method) else { throw ShapeError(description: "request.method \"\(m)\" is not an HTTP method") }
        }
        guard var url = try optionalString(t, "url") else { throw ShapeError(description: "request.url is missing") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ShapeError(description: "request.url must start with http:// or https://, got \"\(url)\"")
        }
        if let query = try pairs(t, "query"), !query.isEmpty {
            url += (url.utf8.contains(UInt8(ascii: "?")) ? "&" : "?") + FormEncoding.encode(query)
        }
        var headers = try pairs(t, "headers", sorted: true) ?? []
        var body: [UInt8] = []
        var bodies = 0
        if s.rawField(t, "json") != .nil {
            bodies += 1
            if let error = LuaJSON.encode(s, at: -1, into: &body, maxBytes: maxBodyBytes) {
                s.pop()
                if error.overBytes != nil { throw oversized("request.json") }
                throw ShapeError(description: "request.json: \(error)")
            }
            if !headers.contains(where: { $0.0.equalsIgnoringASCIICase("content-type") }) {
                headers.append(("Content-Type", "application/json"))
            }
        }
        s.pop()
        if let form = try pairs(t, "form") {
            bodies += 1
            body = FormEncoding.encodedBytes(form)
            guard body.count <= maxBodyBytes else { throw oversized("request.form") }
            if !headers.contains(where: { $0.0.equalsIgnoringASCIICase("content-type") }) {
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            }
        }
        if s.rawField(t, "body") != .nil {
            bodies += 1
            guard let b = s.bytes(at: -1) else {
                s.pop()
                throw ShapeError(description: "request.body must be a string (use json = {...} for a JSON body)")
            }
            guard b.count <= maxBodyBytes else {
                s.pop()
                throw oversized("request.body")
            }
            body = Array(b)
        }
        s.pop()
        guard bodies <= 1 else { throw ShapeError(description: "a request has at most one of json, form and body") }
        var timeout = defaultTimeout
        if s.rawField(t, "timeout") != .nil {
            guard let v = s.number(at: -1), v > 0 else {
                s.pop()
                throw ShapeError(description: "request.timeout must be a positive number of seconds")
            }
            timeout = min(v, maxTimeout)
        }
        s.pop()
        return OutboundRequest(
            method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) },
            body: body, timeout: timeout, maxResponseBytes: maxResponseBytes)
    }

    private func oversized(_ field: String) -> ShapeError {
        ShapeError(
            description: "\(LuaLimit.requestSize.rawValue) exceeded: \(field) is longer than \(maxBodyBytes) bytes", limit: .requestSize)
    }

    private func optionalString(_ t: Int32, _ key: String) throws(ShapeError) -> String? {
        s.rawField(t, key)
        defer { s.pop() }
        if s.isNil(-1) { return nil }
        guard let v = s.string(at: -1) else { throw ShapeError(description: "request.\(key) must be a string, got \(s.typeName(at: -1))") }
        return v
    }

    /// A table of string keys to scalar values (an array value repeats the key), as pairs.
    private func pairs(_ t: Int32, _ key: String, sorted: Bool = false) throws(ShapeError) -> [(String, String)]? {
        s.rawField(t, key)
        defer { s.pop() }
        if s.isNil(-1) { return nil }
        guard s.isTable(-1) else { throw ShapeError(description: "request.\(key) must be a table") }
        let table = s.absolute(-1)
        var result: [(String, String)] = []
        s.pushNil()
        while s.next(table) {
            defer { s.pop() }
            guard let name = s.string(at: -2) else {
                throw ShapeError(description: "request.\(key): names must be strings")
            }
            if let v = scalar(-1) {
                result.append((name, v))
            } else if s.isTable(-1) && key != "headers" {
                let n = s.rawLength(-1)
                for i in 0..<n {
                    s.rawElement(-1, i + 1)
                    defer { s.pop() }
                    guard let v = scalar(-1) else {
                        throw ShapeError(description: "request.\(key).\(name)[\(i + 1)] must be a string, number or boolean")
                    }
                    result.append((name, v))
                }
            } else {
                throw ShapeError(description: "request.\(key).\(name) must be a string, number or boolean, got \(s.typeName(at: -1))")
            }
        }
        return sorted ? result.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) } : result
    }

    private func scalar(_ index: Int32) -> String? {
        if s.isBoolean(index) { return s.bool(at: index) ? "true" : "false" }
        return s.stringOrNumber(at: index)
    }
}

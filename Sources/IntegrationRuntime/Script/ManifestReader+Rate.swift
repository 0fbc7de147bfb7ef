import Host

extension ManifestReader {
    static let rateShape =
        "limits.rate must be a rate such as \"10/3s\" (requests per seconds, minutes or hours) "
        + "or a table such as { limit = \"10/3s\", methods = { \"GET\" }, per = \"credential\" }"

    /// `limits.rate`: a string (every request, one bucket) or a table with `limit`, and
    /// optionally `methods` (the HTTP methods it counts) and `per` (`"integration"`, the
    /// default, or `"credential"`).
    func rate(at t: Int32) throws(ScriptLoadError) -> (RateLimit, RateScope) {
        if s.type(at: t) == .string {
            return (try rateLimit(s.string(at: t), field: "limits.rate"), .all)
        }
        guard s.isTable(t) else { throw fail(Self.rateShape + ", not a \(s.typeName(at: t))") }
        var limit: RateLimit?
        var scope = RateScope.all
        s.pushNil()
        while s.next(t) {
            defer { s.pop() }
            guard let key = s.string(at: -2), ["limit", "methods", "per"].contains(key) else {
                let shown = s.stringOrNumber(at: -2) ?? s.typeName(at: -2)
                throw fail("limits.rate: unknown key \"\(shown)\" (known: limit, methods, per)")
            }
            switch key {
            case "limit":
                limit = try rateLimit(s.string(at: -1), field: "limits.rate.limit")
            case "methods":
                scope.methods = try methods(at: s.absolute(-1))
            default:
                let known = RateScope.Per.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                guard let word = s.string(at: -1), let per = RateScope.Per(rawValue: word) else {
                    throw fail("limits.rate.per must be \(known)")
                }
                scope.perCredential = per == .credential
            }
        }
        guard let limit else { throw fail("limits.rate: missing \"limit\" (a rate such as \"10/3s\")") }
        return (limit, scope)
    }

    private func rateLimit(_ text: String?, field: String) throws(ScriptLoadError) -> RateLimit {
        guard let text, let rate = RateLimit(text) else {
            throw fail("\(field) must look like \"10/3s\" (requests per seconds, minutes or hours)")
        }
        return rate
    }

    private func methods(at t: Int32) throws(ScriptLoadError) -> Set<String> {
        let known = RequestReader.methods.sorted().joined(separator: ", ")
        guard s.isTable(t), s.rawLength(t) > 0 else {
            throw fail("limits.rate.methods must be a non-empty list of HTTP methods such as { \"GET\" }")
        }
        var result: Set<String> = []
        for i in 1...s.rawLength(t) {
            s.rawElement(t, i)
            defer { s.pop() }
            guard let word = s.string(at: -1), RequestReader.methods.contains(word.uppercased()) else {
                let shown = s.stringOrNumber(at: -1) ?? s.typeName(at: -1)
                throw fail("limits.rate.methods[\(i)]: \"\(shown)\" is not an HTTP method (known: \(known))")
            }
            result.insert(word.uppercased())
        }
        return result
    }
}

import Host
import LeadJSON

extension CheckReport {
    /// Human-readable: one line per case, details for failures (every difference, the
    /// outcome's first) and load errors, a summary; `verbose` lists passing cases too, and
    /// each case's log lines and actual result.
    public func text(verbose: Bool = false) -> String {
        var out: [String] = []
        for error in loadErrors { out.append("LOAD ERROR \(error)") }
        for warning in warnings { out.append("warning: \(warning)") }
        for c in cases {
            if c.passed {
                if verbose { out.append("ok   \(c.integration)/\(name(of: c.file))  \(c.description)") }
            } else {
                out.append("FAIL \(c.integration)/\(name(of: c.file))  \(c.description)")
                out.append("     case:  \(c.file)")
                for d in c.differences.isEmpty ? [c.difference ?? ""] : c.differences { out.append("     diff:  \(d)") }
                if let l = c.location { out.append("     at:    \(l)") }
            }
            if verbose {
                for line in c.logs { out.append("     log:   \(line)") }
                if let actual = c.actual { out.append("     got:   \(actual)") }
            }
        }
        let passed = cases.count - failed.count
        out.append(
            "checked \(scripts.count) script(s), \(cases.count) case(s): \(passed) passed, \(failed.count) failed, \(loadErrors.count) load error(s)"
        )
        return out.joined(separator: "\n")
    }

    /// Machine-readable JSON (sorted keys, one object).
    public func json() -> String {
        let caseValues: [JSONValue] = cases.map { c in
            var o: [String: JSONValue] = [
                "integration": .string(c.integration), "file": .string(c.file), "description": .string(c.description),
                "passed": .bool(c.passed), "seconds": .number(c.seconds),
            ]
            if let d = c.difference { o["difference"] = .string(d) }
            if !c.differences.isEmpty { o["differences"] = .array(c.differences.map(JSONValue.string)) }
            if !c.logs.isEmpty { o["logs"] = .array(c.logs.map(JSONValue.string)) }
            if let actual = c.actual { o["result"] = .string(actual) }
            if let l = c.location { o["location"] = .string(l) }
            return .object(o)
        }
        let value: JSONValue = .object([
            "scripts": .array(scripts.map(JSONValue.string)),
            "cases": .array(caseValues),
            "load_errors": .array(
                loadErrors.map { e in
                    var o: [String: JSONValue] = ["file": .string(e.file), "message": .string(e.message)]
                    if let l = e.line { o["line"] = .integer(Int64(l)) }
                    return .object(o)
                }),
            "warnings": .array(warnings.map(JSONValue.string)),
            "passed": .integer(Int64(cases.count - failed.count)),
            "failed": .integer(Int64(failed.count)),
            "exit_code": .integer(Int64(exitCode)),
        ])
        return value.encoded()
    }

    /// JUnit XML: one test suite per integration, load errors as errored cases. Times are
    /// decimals (the schema's `xs:decimal`, never `4e-05`); characters XML 1.0 cannot hold
    /// (control characters of a script's message or a response body) are written as `\u{1b}`.
    public func junit() -> String {
        var out = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        out.append(
            #"<testsuites name="leadrelay check" tests="\#(cases.count + loadErrors.count)" failures="\#(failed.count)" errors="\#(loadErrors.count)">"#
        )
        if !loadErrors.isEmpty {
            out.append(#"  <testsuite name="load" tests="\#(loadErrors.count)" failures="0" errors="\#(loadErrors.count)">"#)
            for e in loadErrors {
                out.append(#"    <testcase classname="load" name="\#(xml(e.file))"><error message="\#(xml(e.description))"/></testcase>"#)
            }
            out.append("  </testsuite>")
        }
        let groups = Dictionary(grouping: cases, by: \.integration)
        for name in groups.keys.sorted() {
            let list = groups[name]!
            let failures = list.filter { !$0.passed }.count
            let time = list.reduce(0) { $0 + $1.seconds }
            out.append(
                #"  <testsuite name="\#(xml(name))" tests="\#(list.count)" failures="\#(failures)" errors="0" time="\#(decimal(time))">"#)
            for c in list {
                let head = #"    <testcase classname="\#(xml(name))" name="\#(xml(self.name(of: c.file)))" time="\#(decimal(c.seconds))""#
                if let d = c.difference {
                    let all = c.differences.isEmpty ? d : c.differences.joined(separator: "\n")
                    out.append(head + ">")
                    out.append(
                        #"      <failure message="\#(xml(d))">\#(xml(c.file + "\n" + all + (c.location.map { "\nat " + $0 } ?? "")))</failure>"#
                    )
                    out.append("    </testcase>")
                } else {
                    out.append(head + "/>")
                }
            }
            out.append("  </testsuite>")
        }
        out.append("</testsuites>")
        return out.joined(separator: "\n")
    }

    private func name(of file: String) -> String {
        String(file.split(separator: "/").last ?? Substring(file))
    }

    /// Seconds with six decimals at most and no exponent: `0.00004`, `1.5`, `0`.
    private func decimal(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0, seconds < 1e12 else { return "0" }
        let micros = Int64((seconds * 1_000_000).rounded())
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(micros / 1_000_000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    private func xml(_ s: String) -> String {
        var o = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u {
            case "&": o.append(contentsOf: "&amp;".unicodeScalars)
            case "<": o.append(contentsOf: "&lt;".unicodeScalars)
            case ">": o.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": o.append(contentsOf: "&quot;".unicodeScalars)
            case "\n": o.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": o.append(contentsOf: "&#13;".unicodeScalars)
            case "\t": o.append(contentsOf: "&#9;".unicodeScalars)
            // XML 1.0 has no other character below U+0020, nor U+FFFE and U+FFFF.
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF:
                o.append(contentsOf: "\\u{\(String(u.value, radix: 16))}".unicodeScalars)
            default: o.append(u)
            }
        }
        return String(o)
    }
}

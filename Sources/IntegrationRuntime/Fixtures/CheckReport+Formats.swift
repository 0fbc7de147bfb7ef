import Host
import LeadJSON

extension CheckReport {
    /// Human-readable: one line per case, details for failures and load errors, a summary.
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
                out.append("     diff:  \(c.difference ?? "")")
                if let l = c.location { out.append("     at:    \(l)") }
            }
        }
        let passed = cases.count - failed.count
        out.append("checked \(scripts.count) script(s), \(cases.count) case(s): \(passed) passed, \(failed.count) failed, \(loadErrors.count) load error(s)")
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
            if let l = c.location { o["location"] = .string(l) }
            return .object(o)
        }
        let value: JSONValue = .object([
            "scripts": .array(scripts.map(JSONValue.string)),
            "cases": .array(caseValues),
            "load_errors": .array(loadErrors.map { e in
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

    /// JUnit XML: one test suite per integration, load errors as errored cases.
    public func junit() -> String {
        var out = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        out.append(#"<testsuites name="leadrelay check" tests="\#(cases.count + loadErrors.count)" failures="\#(failed.count)" errors="\#(loadErrors.count)">"#)
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
            out.append(#"  <testsuite name="\#(xml(name))" tests="\#(list.count)" failures="\#(failures)" errors="0" time="\#(time)">"#)
            for c in list {
                let head = #"    <testcase classname="\#(xml(name))" name="\#(xml(self.name(of: c.file)))" time="\#(c.seconds)""#
                if let d = c.difference {
                    out.append(head + ">")
                    out.append(#"      <failure message="\#(xml(d))">\#(xml(c.file + "\n" + d + (c.location.map { "\nat " + $0 } ?? "")))</failure>"#)
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

    private func xml(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "\n": o += "&#10;"
            default: o.append(c)
            }
        }
        return o
    }
}

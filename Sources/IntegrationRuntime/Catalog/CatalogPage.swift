import Foundation

/// docs/catalog.md: the integrations, their actions, params, limits and source documents,
/// written from the scripts themselves (`leadrelay catalog`), so the page cannot drift
/// from them.
public enum CatalogPage {
    /// The page in Markdown for `entries` (in the order given).
    public static func markdown(_ entries: [CatalogEntry]) -> String {
        var out = """
            # Integration catalog

            The integrations shipped in `integrations/`, written by `leadrelay catalog --write` from the
            scripts themselves: each script's table (actions, params, limits) and its header comment
            (the first line and the `Document:` line, docs/writing-integrations.md, "The header
            comment"). Do not edit this page by hand: change the script and run
            `swift run leadrelay catalog --write`; `leadrelay catalog --check` (and the test suite)
            fails when the page is out of date.

            | integration | what it does | actions | source document |
            |---|---|---|---|

            """
        for entry in entries {
            let name = entry.manifest.name
            out +=
                "| [`\(name)`](#\(name)) | \(cell(entry.header.summary)) | \(actions(entry.manifest)) | \(cell(entry.header.document)) |\n"
        }
        for entry in entries {
            out += "\n" + section(entry)
        }
        return out
    }

    static func section(_ entry: CatalogEntry) -> String {
        let m = entry.manifest
        var out = """
            ## \(m.name)

            **\(m.title)** (`\(entry.file)`)

            \(cell(entry.header.summary))

            - Source document: \(cell(entry.header.document))
            - Actions: \(actions(m))
            - Limits: \(limits(m.limits))

            """
        if m.params.isEmpty {
            out += "\nNo params.\n"
            return out
        }
        out += "\n| param | required | secret | default | description |\n|---|---|---|---|---|\n"
        for p in m.params {
            let fallback = p.defaultValue.map { "`\(cell($0.encoded()))`" } ?? ""
            out +=
                "| `\(p.name)` | \(p.required ? "yes" : "no") | \(p.secret ? "yes" : "no") | \(fallback) | \(cell(p.description ?? "")) |\n"
        }
        return out
    }

    static func actions(_ m: IntegrationManifest) -> String {
        m.actions.map { "`\($0.rawValue)`" }.joined(separator: ", ")
    }

    static func limits(_ l: ScriptLimits) -> String {
        var parts: [String] = []
        if let rate = l.rate { parts.append("rate \(rate.text) (\(l.rateScope))") }
        if let timeout = l.timeout { parts.append("HTTP timeout \(timeout.formatted) s") }
        if let batch = l.batch { parts.append("at most \(batch) leads per status check") }
        return parts.isEmpty ? "none declared (the host's defaults)" : parts.joined(separator: "; ")
    }

    /// Text safe in Markdown and in a table cell: pipes and `<` escaped (`<brand>` is not an
    /// HTML tag), line breaks as spaces.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "\\<")
            .replacingOccurrences(of: "\n", with: " ")
    }
}

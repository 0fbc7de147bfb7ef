import Foundation

/// What a script's header comment says about it, by the convention of
/// docs/writing-integrations.md ("The header comment"): the file opens with a block comment
/// (`--[[ ... ]]`) whose first paragraph names the network and what the script does, and which
/// holds a line starting `Document:` naming the public API document the script follows
/// (its title, publisher and, when it has one, URL). The document's text runs to the next
/// blank line; line breaks and runs of spaces read as one space.
///
///     --[[
///     Leadpond: push leads, read their statuses.
///
///     Document: Leadpond "Affiliate API v3",
///       https://docs.leadpond.example/affiliate-api
///     ...
///     ]]
public struct ScriptHeader: Sendable, Equatable {
    /// The first paragraph of the comment, on one line.
    public var summary: String
    /// The `Document:` paragraph, without the keyword.
    public var document: String

    public init(summary: String, document: String) {
        self.summary = summary
        self.document = document
    }

    /// Reads the header of `source`; `file` names it in the error.
    public static func parse(_ source: String, file: String) throws(ScriptLoadError) -> ScriptHeader {
        let convention = "(docs/writing-integrations.md, \"The header comment\")"
        var text = Substring(source)
        if text.hasPrefix("#!") { text = text.drop { $0 != "\n" }.dropFirst() }
        text = text.drop { $0 == "\n" || $0 == "\r" || $0 == " " }
        guard text.hasPrefix("--[[") || text.hasPrefix("--[=[") else {
            throw ScriptLoadError(file: file, line: 1, message: "the file does not open with a header comment (--[[ ... ]]) \(convention)")
        }
        let closing = text.hasPrefix("--[[") ? "]]" : "]=]"
        let body = text.dropFirst(text.hasPrefix("--[[") ? 4 : 5)
        guard let end = body.range(of: closing) else {
            throw ScriptLoadError(file: file, line: 1, message: "the header comment is not closed with \(closing)")
        }
        let lines = body[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let opening = lines.drop { $0.isEmpty }
        let summary = opening.prefix { !$0.isEmpty }.joined(separator: " ")
        guard !summary.isEmpty, !summary.hasPrefix("Document:") else {
            throw ScriptLoadError(
                file: file, line: 1,
                message: "the header comment does not open with a paragraph naming the network and what the script does \(convention)")
        }
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Document:") }) else {
            throw ScriptLoadError(
                file: file, line: 1,
                message: "the header comment has no line starting \"Document:\" naming the API document the script follows \(convention)")
        }
        let paragraph = [String(lines[start].dropFirst("Document:".count))] + lines[(start + 1)...].prefix { !$0.isEmpty }
        let document = paragraph.joined(separator: " ").split(separator: " ").joined(separator: " ")
        guard !document.isEmpty else {
            throw ScriptLoadError(file: file, message: "\"Document:\" names no document \(convention)")
        }
        return ScriptHeader(summary: summary, document: document)
    }
}

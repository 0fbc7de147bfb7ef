import Foundation
import IntegrationRuntime

/// The manifests of the repository's bundled scripts (integrations/*.lua), and of small
/// scripts a test writes, read the way the service reads them (through a catalog).
enum BundledManifests {
    /// The repository's integrations folder.
    static let directory =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/integrations"

    static func manifest(_ name: String) throws -> IntegrationManifest {
        try IntegrationCatalog.scan(directory).instance(name).manifest
    }

    /// The manifest of a script declaring `params` (Lua table fields), written to `folder`.
    static func manifest(declaring params: String, in folder: String) throws -> IntegrationManifest {
        let directory = folder + "/integrations"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            local M = { name = "typed", title = "typed params", actions = { "push" }, params = { \(params) } }
            function M.prepare(lead, ctx) return { method = "GET", url = "https://crm.example/" } end
            function M.parse_status(response, ctx) return { outcome = "accepted" } end
            return M
            """
        try script.write(toFile: directory + "/typed.lua", atomically: true, encoding: .utf8)
        return try IntegrationCatalog.scan(directory).instance("typed").manifest
    }
}

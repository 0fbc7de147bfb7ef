import Host

/// One integration as the catalog page shows it: what its table declares and what its
/// header comment says.
public struct CatalogEntry: Sendable {
    public var file: String
    public var manifest: IntegrationManifest
    public var header: ScriptHeader

    public init(file: String, manifest: IntegrationManifest, header: ScriptHeader) {
        self.file = file
        self.manifest = manifest
        self.header = header
    }

    /// Every script of `catalog`, loaded (a script that does not load, or whose header does
    /// not follow the convention, is the error), in name order.
    public static func all(in catalog: IntegrationCatalog, relativeTo root: String = "") throws(ScriptLoadError) -> [CatalogEntry] {
        var entries: [CatalogEntry] = []
        for name in catalog.scripts.keys.sorted() {
            let path = catalog.path(of: name)
            let shown = !root.isEmpty && path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
            let header = try ScriptHeader.parse(catalog.scripts[name]!.code, file: shown)
            let instance = try catalog.instance(name, limits: .default)
            entries.append(CatalogEntry(file: shown, manifest: instance.manifest, header: header))
        }
        return entries
    }
}

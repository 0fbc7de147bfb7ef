import Host

/// The scripts and libraries of an `IntegrationCatalog` compiled to bytecode once, so that
/// each fixture case can load its script into a fresh VM without parsing it again.
///
/// A script or library that does not compile is left out: loading it from source then
/// reports its syntax error exactly as before.
public struct CompiledCatalog: Sendable {
    /// Integration name -> its compiled script.
    public var scripts: [String: LuaChunk] = [:]
    /// `lib.x` -> its compiled library.
    public var libraries: [String: LuaChunk] = [:]

    public init(_ catalog: IntegrationCatalog) {
        for (name, source) in catalog.scripts {
            if let chunk = try? LuaChunk.compile(source) { scripts[name] = chunk }
        }
        for (name, source) in catalog.libraries {
            if let chunk = try? LuaChunk.compile(source) { libraries[name] = chunk }
        }
    }
}

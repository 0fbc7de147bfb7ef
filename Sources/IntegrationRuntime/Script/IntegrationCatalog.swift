import Foundation
import Host

/// The scripts of an integrations directory: `<name>.lua` files and the libraries under
/// `lib/`, read once; instances are made from them on demand.
public struct IntegrationCatalog: Sendable {
    public var directory: String
    /// Integration name -> source.
    public var scripts: [String: LuaSource]
    /// `lib.x` -> source of `lib/x.lua`.
    public var libraries: [String: LuaSource]

    /// Reads `directory`. A missing directory or an unreadable file is an error; a script
    /// whose file name is not `[a-z0-9_]+.lua` is reported by name.
    public static func scan(_ directory: String) throws(ScriptLoadError) -> IntegrationCatalog {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ScriptLoadError(file: directory, message: "no such directory (pass --integrations DIR)")
        }
        var catalog = IntegrationCatalog(directory: directory, scripts: [:], libraries: [:])
        let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        for file in names.sorted() where file.hasSuffix(".lua") {
            let path = directory + "/" + file
            let name = String(file.dropLast(4))
            guard isValidName(name) else {
                throw ScriptLoadError(file: path, message: "an integration's file name must be [a-z0-9_]+.lua")
            }
            catalog.scripts[name] = LuaSource(name: file, code: try read(path))
        }
        let libDir = directory + "/lib"
        if let enumerator = fm.enumerator(atPath: libDir) {
            for case let relative as String in enumerator where relative.hasSuffix(".lua") {
                let module = "lib." + relative.dropLast(4).replacingOccurrences(of: "/", with: ".")
                catalog.libraries[module] = LuaSource(name: "lib/" + relative, code: try read(libDir + "/" + relative))
            }
        }
        return catalog
    }

    static func read(_ path: String) throws(ScriptLoadError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptLoadError(file: path, message: "cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    public func path(of name: String) -> String { directory + "/" + name + ".lua" }

    /// A new instance of `name`, in a VM of its own, with the host `modules` (the
    /// contract's, unless a test adds one); from `compiled` bytecode when given.
    public func instance(
        _ name: String, limits: LuaLimits = .default, cache: any CacheStore = MemoryCacheStore(),
        modules: [HostModule] = StandardModules.all, compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) -> IntegrationInstance {
        guard let source = scripts[name] else {
            throw ScriptLoadError(file: path(of: name), message: "no such integration \"\(name)\" in \(directory)")
        }
        return try IntegrationInstance(
            source: source, file: path(of: name), libraries: libraries, limits: limits, cache: cache,
            modules: modules, compiled: compiled)
    }

    /// `name` loaded again into the VM of `previous` (an instance of it that finished its
    /// calls), as freshly as into a new VM (`IntegrationInstance(reloading:)`).
    public func instance(
        _ name: String, reusing previous: IntegrationInstance, cache: any CacheStore = MemoryCacheStore(),
        compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) -> IntegrationInstance {
        guard let source = scripts[name] else {
            throw ScriptLoadError(file: path(of: name), message: "no such integration \"\(name)\" in \(directory)")
        }
        return try IntegrationInstance(reloading: previous, source: source, file: path(of: name), cache: cache, compiled: compiled)
    }
}

import CLua

/// Loads `lib.<name>` for `require`, from the sources the VM was given (the files of
/// `integrations/lib/`) and nothing else.
enum LibraryLoader {
    static let loadLibrary: HostFunction = { L, context in
        let s = LuaState(L)
        let vm = LuaVM.from(context)
        guard let name = s.string(at: 1) else {
            return s.raise("require: expected a module name such as \"lib.util\"")
        }
        guard isLibraryName(name) else {
            return s.raise("require: only \"lib.<name>\" modules from integrations/lib/ can be loaded, not \"\(name)\"")
        }
        guard let source = vm.libraries[name] else {
            return s.raise("require: module \"\(name)\" not found (no file integrations/lib/\(name.dropFirst(4)).lua)")
        }
        let loaded: Bool
        if let chunk = vm.compiledLibraries[name], chunk.source == source {
            loaded = vm.pushLoaded(chunk, onto: L)
        } else {
            loaded = s.load(source)
        }
        guard loaded else {
            return HostReturn.raise  // the syntax error, with file and line, is on top
        }
        return 1
    }

    /// `lib.` followed by one or more `[a-z0-9_]+` parts separated by dots.
    static func isLibraryName(_ name: String) -> Bool {
        guard name.hasPrefix("lib.") else { return false }
        let parts = name.dropFirst(4).split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.utf8.allSatisfy { c in
                        (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95
                    }
            }
    }
}

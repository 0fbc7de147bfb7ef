import Foundation

/// What `leadrelay check --watch` polls: the modification time and size of every script,
/// library and fixture file, and which cases a change between two polls affects.
public struct CheckWatch: Sendable, Equatable {
    /// Path -> (modification time, size) of every watched file.
    public var files: [String: FileStamp] = [:]

    public struct FileStamp: Sendable, Equatable {
        public var modified: Double
        public var size: Int
    }

    /// The cases to run again: every case (a library changed, or a script came or went),
    /// or per integration every case (its script changed) or only some fixture files.
    public enum Affected: Sendable, Equatable {
        case all
        case some([String: Set<String>?])
    }

    /// Reads the stamps of `integrations/*.lua`, `integrations/lib/**/*.lua` and
    /// `fixtures/*/*.json` now. Missing directories read as empty.
    public static func scan(integrations: String, fixtures: String) -> CheckWatch {
        let fm = FileManager.default
        var watch = CheckWatch()
        func stamp(_ path: String) {
            guard let attributes = try? fm.attributesOfItem(atPath: path),
                let date = attributes[.modificationDate] as? Date
            else { return }
            watch.files[path] = FileStamp(
                modified: date.timeIntervalSince1970, size: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        for file in (try? fm.contentsOfDirectory(atPath: integrations)) ?? [] where file.hasSuffix(".lua") {
            stamp(integrations + "/" + file)
        }
        if let libs = fm.enumerator(atPath: integrations + "/lib") {
            for case let relative as String in libs where relative.hasSuffix(".lua") { stamp(integrations + "/lib/" + relative) }
        }
        for dir in (try? fm.contentsOfDirectory(atPath: fixtures)) ?? [] {
            for file in (try? fm.contentsOfDirectory(atPath: fixtures + "/" + dir)) ?? [] where file.hasSuffix(".json") {
                stamp(fixtures + "/" + dir + "/" + file)
            }
        }
        return watch
    }

    /// The paths added, removed or changed since `earlier`, sorted.
    public func changes(since earlier: CheckWatch) -> [String] {
        Set(files.keys).union(earlier.files.keys).filter { files[$0] != earlier.files[$0] }.sorted()
    }

    /// The cases `changed` paths affect: a library, all; a script, its fixtures; a fixture,
    /// that fixture (a removed one runs nothing: it is gone).
    public static func affected(by changed: [String], integrations: String, fixtures: String) -> Affected {
        var some: [String: Set<String>?] = [:]
        for path in changed {
            if path.hasPrefix(integrations + "/lib/") { return .all }
            if path.hasPrefix(integrations + "/") {
                let name = String(path.dropFirst(integrations.count + 1).dropLast(4))
                some[name] = .some(nil)
            } else if path.hasPrefix(fixtures + "/") {
                let name = String(path.dropFirst(fixtures.count + 1).prefix { $0 != "/" })
                if case .some(.some(var files)) = some[name] {
                    files.insert(path)
                    some[name] = .some(files)
                } else if some[name] == nil {
                    some[name] = .some([path])
                }
            }
        }
        return .some(some)
    }
}

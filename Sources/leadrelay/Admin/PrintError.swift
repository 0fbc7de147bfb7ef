import Foundation

/// Writes a line to standard error (warnings, the key-shown-once notice stays on stdout).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

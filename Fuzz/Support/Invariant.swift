/// What a fuzz target checks after each input. Unlike `precondition`, whose message an
/// optimized build drops, a broken invariant prints its message (for the crash report)
/// before the crash libFuzzer records.
@inline(__always)
public func invariant(
    _ holds: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !holds() { violated(message(), file: file, line: line) }
}

/// A broken invariant: prints `message` and crashes.
public func violated(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz invariant broken: \(message)", file: file, line: line)
}

/// Argument helpers shared by the host modules. They only read the stack (no metamethods,
/// nothing that raises).
extension LuaState {
    /// Runs `body` over the bytes of the argument at `index` when it is a string, or a
    /// number formatted as Lua's `tostring` does; `nil` for any other type.
    func withStringBytes<R>(at index: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        if let raw = bytes(at: index) { return body(raw) }
        guard var text = stringOrNumber(at: index) else { return nil }
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Raises `"<function>: expected a string, got <type>"` for the argument at `index`.
    func raiseExpectedString(_ function: String, at index: Int32) -> Int32 {
        raise("\(function): expected a string, got \(typeName(at: index))")
    }
}

import CLuaHost

extension LuaState {
    /// For a host function about to build a result of `bytes` outside Lua's allocator (an
    /// encoding several times its input): when that is more than the running call has left
    /// under the VM's memory cap, marks the `memory limit` and returns the raise code to
    /// return, without building anything. Nil when it fits.
    ///
    ///     if let refused = s.refuseOverMemory("url.encode", resultBytes: 3 * input.count) { return refused }
    public func refuseOverMemory(_ function: String, resultBytes bytes: Int) -> Int32? {
        let room = clua_memory_room(L)
        guard UInt(bytes) > UInt(room) else { return nil }
        clua_mark_hit(L, Int32(CLUA_HIT_MEMORY))
        return raise(
            "\(function): \(LuaLimit.memory.rawValue) exceeded (its result would be \(bytes) bytes, more than the \(room) left under the VM's cap)"
        )
    }

    /// The length of the string at `index`, 0 for anything else.
    func stringLength(at index: Int32) -> Int { isString(index) ? rawLength(index) : 0 }
}

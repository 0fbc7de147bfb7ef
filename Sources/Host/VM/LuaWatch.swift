import CLua
import CLuaHost

/// A view of a VM's running deadline that a watchdog on another thread may read.
///
/// The count hook stops Lua code at its deadline, but code running inside C (a
/// pathological `string.find` pattern) never reaches the hook. A watchdog polls
/// `overrun(now:)` and abandons a VM that has not come back in time (contract, section 4).
/// The handle is valid only while its VM is alive: the owner must keep the VM from being
/// freed while a watchdog may read it.
public struct LuaWatch: @unchecked Sendable {
    let limits: UnsafeMutablePointer<clua_limits>

    /// Nanoseconds the running hook call is past its deadline, or nil when no call runs or
    /// it is within its time.
    public func overrun(now: UInt64 = clua_now_ns()) -> UInt64? {
        let deadline = clua_watch_deadline(limits)
        guard deadline != 0, now > deadline else { return nil }
        return now - deadline
    }
}

extension LuaVM {
    /// The handle a watchdog polls to find this VM stuck inside C.
    public var watch: LuaWatch { LuaWatch(limits: limitsState) }
}

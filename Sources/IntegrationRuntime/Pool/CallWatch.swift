import Host
import Synchronization

/// The hook an instance is running now, readable from a watchdog's thread: set by the
/// instance's thread around each resume of a hook (a relaxed atomic store, no lock).
final class RunningHook: Sendable {
    private let code = Atomic<UInt8>(0)

    var current: CallHook? {
        get {
            switch code.load(ordering: .relaxed) {
            case 1: return .prepare
            case 2: return .send
            case 3: return .parseStatus
            default: return nil
            }
        }
        set {
            let value: UInt8
            switch newValue {
            case .prepare?: value = 1
            case .send?: value = 2
            case .parseStatus?: value = 3
            case .params?, .actions?, nil: value = 0
            }
            code.store(value, ordering: .relaxed)
        }
    }
}

/// What a watchdog polls to find an instance stuck inside C code: its VM's deadline, the
/// hook it runs, and how long past the deadline it may stay (`LuaLimits.abandonGraceSeconds`).
/// The pools' workers ask it, so the rule is written once.
struct CallWatch: Sendable {
    let vm: LuaWatch
    let hook: RunningHook
    let graceNanos: UInt64

    init(vm: LuaWatch, hook: RunningHook, limits: LuaLimits) {
        self.vm = vm
        self.hook = hook
        self.graceNanos = UInt64(max(0, limits.abandonGraceSeconds) * 1e9)
    }

    /// The running hook call, when it is past its deadline by more than the grace period.
    func stuck(now: UInt64) -> StuckCall? {
        guard let overrun = vm.overrun(now: now), overrun > graceNanos else { return nil }
        return StuckCall(hook: hook.current, overrunSeconds: Double(overrun) / 1e9)
    }
}

/// A hook call that stayed inside C code past its deadline plus the grace period.
struct StuckCall: Sendable, Equatable {
    /// The hook it is stuck in.
    var hook: CallHook?
    var overrunSeconds: Double
}

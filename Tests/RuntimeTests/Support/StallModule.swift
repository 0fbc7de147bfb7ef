import Glibc
import Host

/// The contract's host modules plus `time.stall(seconds)`, which blocks inside host code
/// for that long: a VM stuck where no hook runs, for testing the watchdogs now that every
/// library function a script can call is bounded.
enum StallModule {
    static let stall: HostFunction = { L, _ in
        let seconds = LuaState(L).number(at: 1) ?? 0
        usleep(useconds_t(max(0, seconds) * 1_000_000))
        return 0
    }

    static var modules: [HostModule] {
        StandardModules.all.map { module in
            guard module.name == "time" else { return module }
            var time = module
            time.functions.append((name: "stall", function: stall))
            return time
        }
    }
}

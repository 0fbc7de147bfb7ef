import Glibc

/// The system's wall clock and monotonic clock, read without Foundation on the hot path (not
/// the standard library's `Clock` protocol, which this name would otherwise shadow).
public enum SystemClock {
    public static func epochSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CLOCK_MONOTONIC in nanoseconds: the clock the VM's deadlines use.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

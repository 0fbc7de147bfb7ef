import Foundation
import Synchronization

/// The emulators' notion of "now", in seconds since the Unix epoch. Lead timelines,
/// IREV's request windows and postbacks all read it, so tests can move time by hand.
public protocol EmulatorClock: Sendable {
    /// Current time, seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// The wall clock.
public struct SystemEmulatorClock: EmulatorClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that only moves when told to: `advance(by:)` or `set(_:)`.
///
/// ```swift
/// let clock = ManualEmulatorClock(start: 1_767_225_600)
/// clock.advance(by: 300)   // every emulated lead is five minutes older
/// ```
public final class ManualEmulatorClock: EmulatorClock {
    private let current: Mutex<Double>

    public init(start: Double = 1_767_225_600) {
        current = Mutex(start)
    }

    public func now() -> Double { current.withLock { $0 } }

    /// Moves the clock forward by `seconds` (negative values move it back).
    public func advance(by seconds: Double) { current.withLock { $0 += seconds } }

    /// Sets the clock to `time`, seconds since the epoch.
    public func set(_ time: Double) { current.withLock { $0 = time } }
}

/// The deliveries of one target: how many attempts are in flight, those waiting their
/// turn (FIFO) and the target's circuit.
struct DeliveryLine: Sendable {
    var inFlight = 0
    var circuit: CircuitBreaker
    /// When a wake-up for this line is scheduled (the end of the circuit's cooldown).
    var wakeAt: Double?
    private var waiting: [UInt64] = []
    private var head = 0
    /// Absolute position of the first waiting delivery not yet told about `heldUntil`.
    private var unmarked = 0
    private var removed = 0
    private var heldUntil: Double?

    init(circuit: CircuitBreaker.Configuration) { self.circuit = CircuitBreaker(circuit) }

    var isEmpty: Bool { head == waiting.count }
    var count: Int { waiting.count - head }

    mutating func append(_ id: UInt64) { waiting.append(id) }

    mutating func popFirst() -> UInt64? {
        guard head < waiting.count else { return nil }
        defer {
            head += 1
            if head > 256 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                removed += head
                head = 0
            }
        }
        return waiting[head]
    }

    /// The waiting deliveries not yet held until `until` (all of them when `until` is new),
    /// marked as held from now on, so each submit behind an open circuit costs O(1).
    mutating func takeUnheld(until: Double) -> ArraySlice<UInt64> {
        if heldUntil != until {
            heldUntil = until
            unmarked = removed + head
        }
        let from = max(unmarked - removed, head)
        unmarked = removed + waiting.count
        return waiting[from...]
    }
}

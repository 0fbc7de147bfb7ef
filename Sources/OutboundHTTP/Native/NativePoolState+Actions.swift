extension NativePoolState {
    /// The actions one event decided, in order. Almost every event decides one action (begin
    /// a request, open a connection) or none, so the first is kept inline and only the
    /// others go to an array: returning the usual answer allocates nothing, where an array
    /// cost one heap allocation per request on the loop's hot path.
    struct Actions: Sequence {
        private var first: Action?
        private var rest: [Action] = []

        var isEmpty: Bool { first == nil }

        mutating func append(_ action: Action) {
            if first == nil {
                first = action
            } else {
                rest.append(action)
            }
        }

        func makeIterator() -> Iterator { Iterator(first: first, rest: rest.makeIterator()) }

        struct Iterator: IteratorProtocol {
            fileprivate var first: Action?
            fileprivate var rest: IndexingIterator<[Action]>

            mutating func next() -> Action? {
                if let action = first {
                    first = nil
                    return action
                }
                return rest.next()
            }
        }
    }
}

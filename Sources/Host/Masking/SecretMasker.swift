/// Replaces secrets with `***` in what is about to be printed or stored: logs, outcome
/// messages, requests and answers, fixture diffs. One masker per call, fed by the call's
/// secret parameters and the values the script registered with `log.secret`.
///
/// It works on bytes, not Unicode characters, and finds each secret of at least
/// `minimumBytes` bytes in every form a script or a network is likely to write it in:
/// as is in any ASCII case; percent-encoded (`%2B` or `%2b`, `+` for a space); escaped in a
/// JSON string; as hex in either case; as base64 or base64url, alone or inside a longer
/// base64 run (`user:secret` in a Basic credential) at any of the three alignments. A
/// shorter secret would match unrelated text, so it is masked only where it stands alone
/// as a value (see `StandaloneValue`).
///
///     var masker = SecretMasker(secrets: ["s3cr+t/KEY="])
///     masker.mask("pw=s3cr%2Bt%2FKEY%3D")          // "pw=***"
///     masker.mask("Basic dXNlcjpzM2NyK3QvS0VZPQ==") // "Basic dXNlcj***"
///
/// A masker without secrets costs nothing: `mask` returns its argument untouched.
public struct SecretMasker: Sendable {
    /// Secrets shorter than this many bytes are masked only where they stand alone.
    public static let minimumBytes = 4
    /// What a secret is replaced with.
    public static let mark = "***"

    /// The secrets, each once, in the order they were added.
    public private(set) var secrets: [[UInt8]] = []
    /// Each secret's name (the parameter it came from), when it has one.
    public private(set) var names: [String?] = []
    private var forms: [SecretForm] = []
    /// The index in `secrets` of each form's secret.
    private var formOwners: [Int] = []
    private var standalone: [StandaloneValue] = []
    private var standaloneOwners: [Int] = []
    /// When true, a named secret is replaced by `***name***` instead of `***`: what a stored
    /// attempt keeps, so that whoever reads it knows which parameter stood there.
    public var namesSecrets = false

    public init() {}

    public init(secrets: some Sequence<[UInt8]>) {
        for secret in secrets { add(secret) }
    }

    public init(secrets: [String]) {
        self.init(secrets: secrets.map { Array($0.utf8) })
    }

    /// True when there is nothing to mask.
    public var isEmpty: Bool { secrets.isEmpty }

    /// Adds a secret (an empty one, or one already known, is ignored), with the name of
    /// the parameter it came from if it has one.
    public mutating func add(_ secret: [UInt8], name: String? = nil) {
        guard !secret.isEmpty, !secrets.contains(secret) else { return }
        let owner = secrets.count
        secrets.append(secret)
        names.append(name)
        if secret.count < Self.minimumBytes {
            standalone.append(StandaloneValue(bytes: secret))
            standaloneOwners.append(owner)
        } else {
            let added = SecretForm.forms(of: secret)
            forms += added
            formOwners += Array(repeating: owner, count: added.count)
        }
    }

    public mutating func add(_ secret: String, name: String? = nil) { add(Array(secret.utf8), name: name) }

    /// This masker with the secrets of `other` added (with their names).
    public func merging(_ other: SecretMasker) -> SecretMasker {
        var merged = self
        for (secret, name) in zip(other.secrets, other.names) { merged.add(secret, name: name) }
        return merged
    }

    /// `text` with every form of every secret replaced by `***` (`***name***` when
    /// `namesSecrets`).
    public func mask(_ text: String) -> String {
        guard !isEmpty else { return text }
        if namesSecrets { return String(decoding: mask(Array(text.utf8)), as: UTF8.self) }
        var contiguous = text
        let ranges = contiguous.withUTF8 { matches(in: $0) }
        return ranges.isEmpty ? text : String(decoding: Self.replacing(ranges, in: Array(text.utf8)), as: UTF8.self)
    }

    /// `bytes` with every form of every secret replaced by `***` (`***name***` when
    /// `namesSecrets`).
    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        guard !isEmpty else { return bytes }
        if namesSecrets {
            let (ranges, owners) = bytes.withUnsafeBufferPointer { namedMatches(in: $0) }
            guard !ranges.isEmpty else { return bytes }
            let marks = owners.map { owner in names[owner].map { Self.mark + $0 + Self.mark } ?? Self.mark }
            return Self.replacing(ranges, in: bytes, marks: marks)
        }
        let ranges = bytes.withUnsafeBufferPointer { matches(in: $0) }
        return ranges.isEmpty ? bytes : Self.replacing(ranges, in: bytes)
    }

    /// `matches(in:)` with the secret each range belongs to (the first one's, where
    /// matches of two secrets overlap).
    func namedMatches(in text: UnsafeBufferPointer<UInt8>) -> ([Range<Int>], [Int]) {
        // Plain loops over indices: a nested function capturing these arrays boxed them, and
        // this runs for every string of every stored attempt.
        var found: [(Range<Int>, Int)] = []
        var scratch: [Range<Int>] = []
        for k in forms.indices {
            forms[k].collect(in: text, starts: nil, text: text, into: &scratch)
            for range in scratch { found.append((range, formOwners[k])) }
            scratch.removeAll(keepingCapacity: true)
        }
        if !forms.isEmpty, let decoded = DecodedText(decoding: text) {
            decoded.bytes.withUnsafeBufferPointer { bytes in
                for k in forms.indices {
                    forms[k].collect(in: bytes, starts: decoded.starts, text: text, into: &scratch)
                    for range in scratch { found.append((range, formOwners[k])) }
                    scratch.removeAll(keepingCapacity: true)
                }
            }
        }
        for k in standalone.indices {
            standalone[k].collect(in: text, into: &scratch)
            for range in scratch { found.append((range, standaloneOwners[k])) }
            scratch.removeAll(keepingCapacity: true)
        }
        guard !found.isEmpty else { return ([], []) }
        found.sort { $0.0.lowerBound < $1.0.lowerBound }
        var ranges: [Range<Int>] = [found[0].0]
        var owners: [Int] = [found[0].1]
        for (range, owner) in found.dropFirst() {
            if range.lowerBound <= ranges[ranges.count - 1].upperBound {
                let last = ranges.removeLast()
                ranges.append(last.lowerBound..<max(last.upperBound, range.upperBound))
            } else {
                ranges.append(range)
                owners.append(owner)
            }
        }
        return (ranges, owners)
    }

    /// The byte ranges of `text` to hide, sorted, overlapping ones merged. Allocates
    /// nothing when nothing is found in a text without escapes.
    func matches(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        for form in forms { form.collect(in: text, starts: nil, text: text, into: &found) }
        if !forms.isEmpty, let decoded = DecodedText(decoding: text) {
            decoded.bytes.withUnsafeBufferPointer { bytes in
                for form in forms { form.collect(in: bytes, starts: decoded.starts, text: text, into: &found) }
            }
        }
        for value in standalone { value.collect(in: text, into: &found) }
        guard found.count > 1 else { return found }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = [found[0]]
        for range in found.dropFirst() {
            if range.lowerBound <= merged[merged.count - 1].upperBound {
                let last = merged.removeLast()
                merged.append(last.lowerBound..<max(last.upperBound, range.upperBound))
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// `bytes` with each of `ranges` (sorted, disjoint) replaced by the mark, or by the
    /// matching one of `marks`.
    static func replacing(_ ranges: [Range<Int>], in bytes: [UInt8], marks: [String]? = nil) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var next = 0
        for (index, range) in ranges.enumerated() {
            out += bytes[next..<range.lowerBound]
            out += (marks?[index] ?? mark).utf8
            next = range.upperBound
        }
        out += bytes[next...]
        return out
    }
}

import OutboundHTTP

/// A request as a curl command line for sh (`leadrelay run --format curl`): method, URL,
/// every header as sent, the timeout and the body, each word quoted so that sh passes it
/// to curl byte for byte (single quotes; a quote inside as `'\''`).
///
///     curl -sS -X POST 'https://api.example.com/leads' -H 'X-Api-Key: ***' --max-time 30 --data-binary '{"a":1}'
enum CurlCommand {
    static func line(_ request: OutboundRequest) -> String {
        var words = ["curl", "-sS", "-X", word(request.method), quote(request.url)]
        for header in request.headers {
            // curl drops a header given as `Name:`; `Name;` sends it empty.
            words += ["-H", quote(header.value.isEmpty ? header.name + ";" : header.name + ": " + header.value)]
        }
        let seconds = request.timeout.rounded() == request.timeout ? String(Int(request.timeout)) : String(request.timeout)
        words += ["--max-time", seconds]
        if !request.body.isEmpty { words += ["--data-binary", quote(String(decoding: request.body, as: UTF8.self))] }
        return words.joined(separator: " ")
    }

    /// `text` as one sh word in single quotes.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }

    /// `text` bare when it is letters only (an HTTP method), else quoted.
    static func word(_ text: String) -> String {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isLetter } ? text : quote(text)
    }
}

import CEpoll
import Foundation
import LoopbackTesting

#if canImport(Glibc)
import Glibc
#endif

/// How cheap an HTTP/1.1 client could be here: a bare epoll loop on this thread keeping
/// `inFlight` keep-alive connections busy with GET requests to the loopback endpoint. It is
/// not a transport (plain http only, no TLS, no timeouts, answers with Content-Length
/// only); it measures the floor that any client, libcurl included, pays on this machine:
/// the kernel's TCP on loopback and one epoll wakeup per batch.
enum RawHTTPFloor {
    struct Result {
        var requestsPerSecond: Double
        /// CPU of this (the client's) thread per request.
        var clientMicros: Double
        var failures: Int
    }

    static func measure(server: LoopbackHTTPServer, inFlight: Int, requests: Int) -> Result {
        let request = Array("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let epoll = epoll_create1(CEPOLL_CLOEXEC)
        defer { close(epoll) }
        var sockets: [Int32] = []
        for _ in 0..<inFlight {
            guard let fd = connectSocket(port: server.port) else { continue }
            sockets.append(fd)
            cepoll_ctl(epoll, CEPOLL_CTL_ADD, fd, CEPOLL_IN)
        }
        defer { for fd in sockets { close(fd) } }
        var buffers = [Int32: [UInt8]]()
        var issued = 0
        var completed = 0
        var failures = 0
        let cpuStart = RuntimeCost.threadCPUNanos()
        let started = DispatchTime.now().uptimeNanoseconds
        for fd in sockets where issued < requests {
            if send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count { issued += 1 } else { failures += 1 }
        }
        let events = UnsafeMutableRawPointer.allocate(byteCount: Int(cepoll_event_size()) * 256, alignment: 8)
        defer { events.deallocate() }
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while completed + failures < issued {
            let list = events.assumingMemoryBound(to: epoll_event.self)
            let n = epoll_wait(epoll, list, 256, 1000)
            if n <= 0 { failures += issued - completed - failures; break }
            for i in 0..<Int(n) {
                let fd = cepoll_event_fd(list, Int32(i))
                let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard got > 0 else { failures += 1; continue }
                buffers[fd, default: []].append(contentsOf: chunk[0..<got])
                while let length = completeResponseLength(buffers[fd]!) {
                    buffers[fd]!.removeFirst(length)
                    completed += 1
                    if issued < requests {
                        if send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count { issued += 1 } else { failures += 1 }
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = Double(RuntimeCost.threadCPUNanos() - cpuStart) / 1e9
        return Result(
            requestsPerSecond: Double(completed) / seconds, clientMicros: cpu * 1e6 / Double(max(completed, 1)),
            failures: failures)
    }

    /// The length of the first whole response in `bytes` (head and Content-Length body).
    static func completeResponseLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var end = -1
        for i in 3..<bytes.count where bytes[i] == 10 && bytes[i - 1] == 13 && bytes[i - 2] == 10 && bytes[i - 3] == 13 {
            end = i + 1
            break
        }
        guard end > 0 else { return nil }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).lowercased()
        guard let range = head.range(of: "content-length:") else { return end }
        let digits = head[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        let total = end + (Int(digits) ?? 0)
        return bytes.count >= total ? total : nil
    }

    static func connectSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); return nil }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }
}

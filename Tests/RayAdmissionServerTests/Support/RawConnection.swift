import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One TCP connection, TLS or not, that writes bytes exactly as told and reads whatever comes
/// back: for what an HTTP client library will not do (pipelining, one-byte writes, stalling,
/// plain HTTP on the TLS port, a TLS 1.0-only client).
final class RawConnection: Sendable {
    private let channel: any Channel
    private let collector: Collector

    /// `trusting` nil: plain TCP. Otherwise TLS, trusting that CA, within the version bounds.
    static func connect(
        port: Int, trusting caPEM: String?, minimumTLSVersion: TLSVersion = .tlsv12,
        maximumTLSVersion: TLSVersion? = nil
    ) async throws -> RawConnection {
        let sslContext: NIOSSLContext?
        if let caPEM {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
            tls.minimumTLSVersion = minimumTLSVersion
            tls.maximumTLSVersion = maximumTLSVersion
            sslContext = try NIOSSLContext(configuration: tls)
        } else {
            sslContext = nil
        }
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(CollectingHandler(collector: collector))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    var isClosedByPeer: Bool { collector.state.withLock { $0.closed } }

    func write(_ bytes: some Sequence<UInt8>) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: Array(bytes)))
    }

    func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Waits until the peer closes or `timeout` passes; returns whether the peer closed.
    @discardableResult
    func readUntilClosed(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isClosedByPeer, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return isClosedByPeer
    }

    /// The next complete HTTP/1.1 response (status and body; the server always sends a
    /// Content-Length), or nil when the connection ends or `timeout` passes first.
    func readResponse(timeout: Duration = .seconds(10)) async throws -> (status: Int, head: String, body: String)? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (response, closed) = collector.state.withLock { ($0.received.takeHTTPResponse(), $0.closed) }
            if let response { return response }
            if closed || ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func close() async {
        try? await channel.close()
    }
}

/// What has been read, and whether the peer has closed: filled on the event loop, read by the test.
private final class Collector: Sendable {
    let state = Mutex<(received: [UInt8], closed: Bool)>(([], false))
}

private final class CollectingHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let collector: Collector

    init(collector: Collector) { self.collector = collector }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        collector.state.withLock { $0.received.append(contentsOf: buffer.readableBytesView) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        collector.state.withLock { $0.closed = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension [UInt8] {
    /// Removes and returns the first complete response in the buffer, if there is one.
    fileprivate mutating func takeHTTPResponse() -> (status: Int, head: String, body: String)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = firstRange(of: separator) else { return nil }
        let head = String(decoding: self[..<headEnd.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.count >= 12,
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { return nil }
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        guard count >= headEnd.upperBound + length else { return nil }
        let body = String(decoding: self[headEnd.upperBound..<(headEnd.upperBound + length)], as: UTF8.self)
        removeFirst(headEnd.upperBound + length)
        return (status, head, body)
    }
}

extension RawConnection {
    /// A complete HTTP/1.1 POST of `body` to `path`.
    static func post(
        _ path: String, body: [UInt8], contentType: String = "application/json", extraHeaders: String = ""
    ) -> [UInt8] {
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\n\(extraHeaders)\r\n"
        return Array(head.utf8) + body
    }
}

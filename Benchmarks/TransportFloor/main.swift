// What the same pipeline costs behind a leaner HTTP path: SwiftNIO's HTTP/1.1 server pipeline
// and swift-nio-ssl, with the admission pipeline run synchronously on the event loop (no async
// sequences, no task hops). A measuring instrument for issue 6, not a server to deploy: no
// certificate reload, no limits, no metrics.
//
// Usage: ray-admission-transport-floor CERT KEY PORT [fixed|mutate]
//   fixed:  read the body, answer a fixed JSON reply (the transport's own floor)
//   mutate: decode, default and encode, as /mutate does
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import RayAdmission

let arguments = CommandLine.arguments
guard arguments.count >= 4, let port = Int(arguments[3]) else {
    print("usage: ray-admission-transport-floor CERT KEY PORT [fixed|mutate]")
    exit(2)
}
let mode = arguments.count > 4 ? arguments[4] : "mutate"
var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[1]).map { .certificate($0) },
    privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[2], format: .pem)))
tls.minimumTLSVersion = .tlsv12
let sslContext = try NIOSSLContext(configuration: tls)
let pipeline = AdmissionPipeline()
let fixedReply = ByteBuffer(
    string: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"x","allowed":true}}"#)

final class AdmissionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private var body = ByteBuffer()
    private var keepAlive = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            let reply: ByteBuffer
            if mode == "fixed" {
                reply = fixedReply
            } else {
                let encoded = body.withUnsafeReadableBytes { bytes -> [UInt8] in
                    guard let request = try? AdmissionReviewDecoding.decode(bytes) else { return [] }
                    return AdmissionReviewEncoding.encode(pipeline.review(request, endpoint: .mutate).response)
                }
                reply = context.channel.allocator.buffer(bytes: encoded)
            }
            var headers = HTTPHeaders([
                ("Content-Type", "application/json"), ("Content-Length", "\(reply.readableBytes)"),
            ])
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(reply))), promise: nil)
            let keepAlive = self.keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [context] _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(AdmissionHandler())
        }
    }
    .bind(host: "127.0.0.1", port: port).wait()
print("listening on \(port) (\(mode))")
try channel.closeFuture.wait()

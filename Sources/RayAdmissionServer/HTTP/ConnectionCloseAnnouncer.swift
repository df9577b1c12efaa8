import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Says `Connection: close` on a response after which the connection will close: when the
/// request asked for it, or when the server is shutting down. NIO closes such connections
/// without saying so, and a client that then reuses the connection sees a reset instead of
/// opening a new one (wrk counted a read error for every request in `Connection: close` mode).
final class ConnectionCloseAnnouncer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose responses have not started, and whether each asked to close.
    private var pendingCloses: [Bool] = []
    private var quiescing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data) {
            let wantsClose = request.headerFields[values: .connection].contains {
                $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
            }
            pendingCloses.append(wantsClose)
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { quiescing = true }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var response) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let wantsClose = pendingCloses.isEmpty ? false : pendingCloses.removeFirst()
        // While quiescing, only the last request in flight is followed by a close.
        if wantsClose || (quiescing && pendingCloses.isEmpty), response.headerFields[.connection] == nil {
            response.headerFields[.connection] = "close"
        }
        context.write(wrapOutboundOut(.head(response)), promise: promise)
    }
}

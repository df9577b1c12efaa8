import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request is not read in full within `limit` of its head arriving.
///
/// Hummingbird's idle timeout is renewed by every body chunk, so a client trickling a body one
/// byte at a time would hold a connection (and the body buffered so far) forever. Headers need
/// no such guard: no part is read until they are complete, so the idle timeout cuts off a client
/// that sends them slowly.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private let onExpiry: @Sendable () -> Void
    /// When the head of the request being read arrived; nil between requests.
    private var headArrived: NIODeadline?
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount, onExpiry: @escaping @Sendable () -> Void = {}) {
        self.limit = limit
        self.onExpiry = onExpiry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancel()
            headArrived = .now()
        case .end:
            cancel()
            headArrived = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    /// The timer starts only when a read ends with a request still incomplete: almost every
    /// request arrives whole in one read, and then needs none.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let headArrived, deadline == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let onExpiry = self.onExpiry
            deadline = context.eventLoop.scheduleTask(deadline: headArrived + limit) {
                onExpiry()
                loopBound.value.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}

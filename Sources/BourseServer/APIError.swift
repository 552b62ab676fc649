import BourseJSONLines
import Hummingbird

/// An error answer: `{ "code": ..., "message": ... }` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(.object([("code", .string(code)), ("message", .string(message))]), status: status)
    }

    /// The status of a command the engine rejected: 400 malformed, 404 unknown symbol or
    /// order, 409 duplicate client order id, 429 order rate, 422 every other rule or risk check.
    static func rejected(_ event: JSONValue) -> APIError {
        let reason = event["reason"]?.stringValue ?? "rejected"
        let message = event["message"]?.stringValue ?? reason
        switch reason {
        case "malformed": return APIError(.badRequest, reason, message)
        case "unknown_symbol", "unknown_order": return APIError(.notFound, reason, message)
        case "duplicate_client_order_id", "duplicate_symbol": return APIError(.conflict, reason, message)
        case "rate_limit": return APIError(.tooManyRequests, reason, message)
        default: return APIError(.unprocessableContent, reason, message)
        }
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "malformed", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static let busy = APIError(.serviceUnavailable, "busy", "the engine's intake is full: retry shortly")
    static let stopped = APIError(.serviceUnavailable, "stopped", "the engine is stopping")
    static let draining = APIError(.serviceUnavailable, "draining", "the server is draining: no new orders")
}

enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(bytes: value.jsonBytes)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    static func text(_ text: String, contentType: String) -> Response {
        let buffer = ByteBuffer(string: text)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }
}

/// Times every request, counts its status, and turns every error into the JSON error form.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .contentTooLarge: code = "too_large"
            case .methodNotAllowed: code = "method_not_allowed"
            default: code = error.status.code < 500 ? "bad_request" : "internal"
            }
            let message = error.body ?? error.status.reasonPhrase
            response = try APIError(error.status, code, message).response(from: request, context: context)
        } catch {
            response = try APIError(.internalServerError, "internal", "\(error)").response(
                from: request, context: context)
        }
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.countResponse(status: response.status.code, nanoseconds: UInt64(max(0, nanoseconds)))
        return response
    }
}

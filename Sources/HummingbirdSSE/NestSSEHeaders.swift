import HTTPTypes
import ServerSentEvents

/// The response headers NestJS 11.1 sets on an `@Sse()` route, with its values and in its order.
public enum NestSSEHeaders {
    /// `Expire` (sic): Nest 11.x spells it so.
    public static let expire = HTTPField.Name("Expire")!
    /// `X-Accel-Buffering`: turns off nginx's proxy buffering.
    public static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// Nest's fields, in the order Nest writes them (``ServerSentEvents/NestEventEncoder/headers``).
    public static let fields: [HTTPField] = NestEventEncoder.headers.map { name, value in
        HTTPField(name: HTTPField.Name(name)!, value: value)
    }

    /// The route's own headers followed by Nest's: a field the route already set keeps its place and takes Nest's
    /// value (so a route's `Cache-Control` is overwritten, as in Nest); the others are appended in Nest's order.
    public static func headers(routeHeaders: HTTPFields = [:]) -> HTTPFields {
        var headers = routeHeaders
        for field in fields {
            if headers[field.name] != nil {
                headers[field.name] = field.value
            } else {
                headers.append(field)
            }
        }
        return headers
    }
}

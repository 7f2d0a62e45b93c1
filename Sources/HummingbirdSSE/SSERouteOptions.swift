import HTTPTypes

/// What a NestJS `@Sse()` route can be decorated with: `@HttpCode()` and `@Header()`.
public struct SSERouteOptions: Sendable {
    /// The response status. Nest 11.1 honours `@HttpCode`; the default is 200.
    public var status: HTTPResponse.Status
    /// Headers the route sets itself (`@Header(name, value)`). They keep their place before Nest's own; a
    /// `Cache-Control` among them is overwritten by Nest's value, as Nest does.
    public var headers: HTTPFields

    /// Creates route options.
    public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.status = status
        self.headers = headers
    }
}

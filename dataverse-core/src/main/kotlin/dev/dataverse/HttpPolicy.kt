package dev.dataverse

/**
 * A hook into every HTTP request the client sends: add headers, record telemetry, audit calls. Add policies with
 * [DataverseClient.Builder.addPolicy]; they run in the order added.
 *
 * ## Where policies run
 * Each public call passes an ordered pipeline. From the caller down to the network:
 * 1. **origin guard** — the URL is resolved under the Web API root and checked: same origin, no control characters;
 * 2. **retry** — transient failures are retried within [RetryOptions] (and a 401 once with a new token);
 * 3. **standard headers** — a fresh `x-ms-client-request-id` per attempt, the call's `x-ms-correlation-id`, the OData
 *    and `User-Agent` headers;
 * 4. **your policies**, in the order added: [onRequest] before each attempt, then [onResponse] or [onFailure] after it;
 * 5. **authentication** — the bearer token is added here, after your policies, so no policy ever sees it;
 * 6. **concurrency** — the adaptive limit of requests in flight (`x-ms-dop-hint`, service-protection feedback);
 * 7. **logging** — DEBUG lines with tokens and JWTs redacted;
 * 8. **wire transport** — the request is sent and its body read within `maxResponseBytes`.
 *
 * So a policy runs once per attempt: a retried request passes it again, with [Request.attempt] counting up.
 *
 * ## Rules
 * Policies run on the thread that sends the request, inside the call: they must not block, and what they throw fails the
 * call (an exception other than a [DataverseException] is wrapped in one). They cannot change the method, the URL or the
 * body, nor set `Authorization` and the headers the HTTP layer owns (`Host`, `Content-Length`, `Connection`, ...).
 *
 * ```kotlin
 * DataverseClient {
 *     environmentUrl(url); credential(credential)
 *     addPolicy { request -> request.setHeader("x-tenant-trace", traceId()) }
 * }
 * ```
 * ```java
 * new DataverseClientBuilder().environmentUrl(url).credential(credential)
 *     .addPolicy(request -> request.setHeader("x-tenant-trace", traceId()))
 *     .buildClient();
 * ```
 */
public fun interface HttpPolicy {
    /** Called before each attempt is sent; may add or replace headers with [Request.setHeader]. */
    public fun onRequest(request: Request)

    /** Called when an attempt got a response, whatever its status, before the client interprets it. */
    public fun onResponse(request: Request, response: Response) {}

    /** Called when an attempt failed without a response: connection, timeout, TLS, or a response over the size limit. */
    public fun onFailure(request: Request, error: DataverseException) {}

    /** The request of one attempt, as a policy sees it: everything but the token and the body. */
    public interface Request {
        /** The HTTP method, e.g. `GET`. */
        public val method: String

        /** The absolute URL, query included. The query may hold filter values: treat it as data. */
        public val url: String

        /** The attempt number, from 1. */
        public val attempt: Int

        /** The `x-ms-client-request-id` of this attempt. */
        public val clientRequestId: String

        /** The `x-ms-correlation-id` shared by every request of the public call. */
        public val correlationId: String

        /** The value of header [name] (any case), or `null`. */
        public fun header(name: String): String?

        /** The headers set so far, in order (the `Authorization` header is added later and never shown). */
        public val headers: List<Map.Entry<String, String>>

        /**
         * Sets header [name] to [value], replacing a value set before.
         *
         * @throws InvalidInputException for a name or value with control characters, or a header the client owns.
         */
        public fun setHeader(name: String, value: String)
    }

    /** The response of one attempt, as a policy sees it. */
    public interface Response {
        /** The HTTP status, e.g. 200 or 429. */
        public val statusCode: Int

        /** The value of header [name] (any case), or `null`. */
        public fun header(name: String): String?

        /** The size of the response body in bytes. */
        public val bodySize: Long

        /** How long the attempt took, from sending to the last byte of the body. */
        public val elapsed: java.time.Duration
    }
}

package dev.dataverse.emulator;

/**
 * How a {@link FaultRule} makes the emulator misbehave, to test that a client copes with what the real service and the
 * network in front of it do.
 */
public enum FaultKind {
    /**
     * 429 with {@code Retry-After} and error code {@code 0x80072322}: the requests-per-window service protection limit.
     */
    THROTTLE_REQUESTS,

    /** 429 with {@code Retry-After} and error code {@code 0x80072321}: the execution-time service protection limit. */
    THROTTLE_EXECUTION_TIME,

    /**
     * 429 with {@code Retry-After} and error code {@code 0x80072326}: the concurrent-requests service protection limit.
     */
    THROTTLE_CONCURRENCY,

    /** 503 Service Unavailable with {@code Retry-After}; the request is not applied. */
    SERVICE_UNAVAILABLE,

    /** 504 Gateway Timeout; the request is not applied. */
    GATEWAY_TIMEOUT,

    /** Waits {@link FaultRule#latencyMillis}, then serves the request normally. */
    LATENCY,

    /** Drops the TCP connection without applying the request and without answering. */
    RESET_BEFORE_APPLY,

    /**
     * Applies the request, then drops the TCP connection without answering. On the wire this looks exactly like
     * {@link #RESET_BEFORE_APPLY}; only the effect differs, which is what replay-safe clients must handle.
     */
    RESET_AFTER_APPLY,

    /**
     * 200 with a body the client cannot read, as a broken proxy may send; the request is not applied. A GET gets the
     * first half of its real JSON body (still typed as JSON); other methods get an HTML error page.
     */
    MALFORMED_BODY,

    /** 401 with the service's error body and a {@code WWW-Authenticate: Bearer error="invalid_token"} header. */
    EXPIRED_TOKEN,

    /**
     * 413 with error code {@code 0x8004418a} (RequestLengthTooLarge; Learn: reference/web-service-error-codes): the body is
     * refused as too large and nothing is applied. Bulk clients are expected to send smaller requests.
     */
    REQUEST_TOO_LARGE,

    /**
     * 502 Bad Gateway with an HTML page instead of Dataverse error JSON, as a gateway in front of the service sends.
     */
    BAD_GATEWAY_HTML,

    /**
     * 503 Service Unavailable with an HTML page and no {@code Retry-After}, as a gateway sends; the request is not applied.
     */
    SERVICE_UNAVAILABLE_HTML,

    /** 504 Gateway Timeout with an empty body, as a gateway sends; the request is not applied. */
    GATEWAY_TIMEOUT_EMPTY;
}

package dev.dataverse.emulator

/**
 * How a [DataverseEmulator] behaves. Immutable; build it with Kotlin named arguments
 * (`EmulatorOptions(port = 8080)`) or, from Java, with [builder] (`EmulatorOptions.builder().port(8080).build()`).
 * The emulator always listens on 127.0.0.1, so it is never reachable from other machines.
 */
public class EmulatorOptions @JvmOverloads constructor(
    /** TCP port to listen on; 0 (the default) picks a free port, which [DataverseEmulator.port] then reports. */
    public val port: Int = 0,
    /**
     * The only bearer token accepted, to test that a client sends the token it was given. When null (the
     * default) any non-empty bearer token is accepted, as clients cannot get real Entra ID tokens offline.
     */
    public val requiredToken: String? = null,
    /** Value of the `x-ms-dop-hint` header on every API response: the parallelism the service recommends. Default 4. */
    public val dopHint: Int = 4,
    /** Largest page a collection query returns, and the page size when the client sends no `odata.maxpagesize`. Default 5000, as the service. */
    public val maxPageSize: Int = 5000,
) {
    init {
        require(port in 0..MAX_PORT) { "port must be between 0 and $MAX_PORT, was $port" }
        require(requiredToken == null || requiredToken.isNotBlank()) { "requiredToken must not be blank" }
        require(dopHint >= 1) { "dopHint must be at least 1, was $dopHint" }
        require(maxPageSize in 1..SERVICE_MAX_PAGE_SIZE) { "maxPageSize must be between 1 and $SERVICE_MAX_PAGE_SIZE, was $maxPageSize" }
    }

    /** A builder starting from these options, to change a few of them. */
    public fun toBuilder(): Builder = Builder().port(port).requiredToken(requiredToken).dopHint(dopHint).maxPageSize(maxPageSize)

    override fun equals(other: Any?): Boolean =
        other is EmulatorOptions && other.port == port && other.requiredToken == requiredToken &&
            other.dopHint == dopHint && other.maxPageSize == maxPageSize

    override fun hashCode(): Int = listOf(port, requiredToken, dopHint, maxPageSize).hashCode()

    /** Shows every option except the token's value, which is a secret. */
    override fun toString(): String =
        "EmulatorOptions(port=$port, requiredToken=${if (requiredToken == null) "none" else "set"}, dopHint=$dopHint, maxPageSize=$maxPageSize)"

    /** A Java-friendly builder of [EmulatorOptions]; each setter returns the builder. Defaults as in [EmulatorOptions]. */
    public class Builder {
        private var port: Int = 0
        private var requiredToken: String? = null
        private var dopHint: Int = 4
        private var maxPageSize: Int = SERVICE_MAX_PAGE_SIZE

        /** See [EmulatorOptions.port]. */
        public fun port(port: Int): Builder = apply { this.port = port }

        /** See [EmulatorOptions.requiredToken]. */
        public fun requiredToken(token: String?): Builder = apply { this.requiredToken = token }

        /** See [EmulatorOptions.dopHint]. */
        public fun dopHint(dopHint: Int): Builder = apply { this.dopHint = dopHint }

        /** See [EmulatorOptions.maxPageSize]. */
        public fun maxPageSize(maxPageSize: Int): Builder = apply { this.maxPageSize = maxPageSize }

        /** The options; throws [IllegalArgumentException] when a value is out of range. */
        public fun build(): EmulatorOptions = EmulatorOptions(port, requiredToken, dopHint, maxPageSize)
    }

    /** Factory for the Java builder. */
    public companion object {
        private const val MAX_PORT = 65535
        private const val SERVICE_MAX_PAGE_SIZE = 5000

        /** A builder with the default options. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

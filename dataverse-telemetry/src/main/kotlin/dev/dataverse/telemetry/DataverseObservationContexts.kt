package dev.dataverse.telemetry

import dev.dataverse.AttemptInfo
import dev.dataverse.DataverseException
import dev.dataverse.HttpPolicy
import dev.dataverse.OperationInfo
import dev.dataverse.telemetry.internal.Conventions
import dev.dataverse.telemetry.internal.UrlRedaction
import io.micrometer.common.KeyValues
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationConvention
import io.micrometer.observation.transport.RequestReplySenderContext

/** What the observation of one public call of the client knows: the call, its environment and how it ended. */
public class DataverseOperationContext private constructor(
    /** The call: its name (`records.create`), table and correlation id. */
    public val operation: OperationInfo,
    /** The environment's host. */
    public val serverAddress: String,
    /** The environment's port. */
    public val serverPort: Int,
) : Observation.Context() {
    /** How the call ended: `success`, `error` or `cancelled`; `null` while it runs. */
    public var outcome: String? = null
        @JvmSynthetic internal set

    /** The exception the call threw (its message may quote record values); `null` on success and cancellation. */
    public var failure: Throwable? = null
        @JvmSynthetic internal set

    /** Built by the client's observation binding only: Java sees no constructor. */
    internal companion object {
        @JvmSynthetic
        operator fun invoke(operation: OperationInfo, serverAddress: String, serverPort: Int): DataverseOperationContext =
            DataverseOperationContext(operation, serverAddress, serverPort)
    }
}

/**
 * What the observation of one HTTP attempt knows: the request (the carrier, into which a tracing handler writes its
 * propagation headers), the service's response, and the attempt's failure.
 */
public class DataverseRequestContext private constructor(
    /** The request about to be sent. */
    public val attempt: AttemptInfo,
    /** The call the attempt belongs to. */
    public val operation: OperationInfo,
    /** The environment's host. */
    public val serverAddress: String,
    /** The environment's port. */
    public val serverPort: Int,
    environmentUrl: String,
) : RequestReplySenderContext<AttemptInfo, HttpPolicy.Response>({ carrier, key, value -> carrier?.setHeader(key, value) }) {
    /** The typed error of a failed attempt, with or without a response. */
    public var failure: DataverseException? = null
        @JvmSynthetic internal set

    init {
        setCarrier(attempt)
        remoteServiceName = "dataverse"
        remoteServiceAddress = environmentUrl
    }

    /** Built by the client's observation binding only: Java sees no constructor. */
    internal companion object {
        @JvmSynthetic
        operator fun invoke(
            attempt: AttemptInfo,
            operation: OperationInfo,
            serverAddress: String,
            serverPort: Int,
            environmentUrl: String,
        ): DataverseRequestContext = DataverseRequestContext(attempt, operation, serverAddress, serverPort, environmentUrl)
    }
}

/** Names and keys the observation of a call; implement it to replace [DefaultDataverseOperationConvention]. */
public interface DataverseOperationConvention : ObservationConvention<DataverseOperationContext> {
    override fun supportsContext(context: Observation.Context): Boolean = context is DataverseOperationContext
}

/** Names and keys the observation of an HTTP attempt; implement it to replace [DefaultDataverseRequestConvention]. */
public interface DataverseRequestConvention : ObservationConvention<DataverseRequestContext> {
    override fun supportsContext(context: Observation.Context): Boolean = context is DataverseRequestContext
}

/** The default names and keys of a call's observation (see [DataverseObservation]); open to extend. */
public open class DefaultDataverseOperationConvention : DataverseOperationConvention {
    override fun getName(): String = DataverseObservation.OPERATION_OBSERVATION

    override fun getContextualName(context: DataverseOperationContext): String = context.operation.name

    override fun getLowCardinalityKeyValues(context: DataverseOperationContext): KeyValues = KeyValues.of(
        Conventions.OPERATION, context.operation.name,
        Conventions.OUTCOME, context.outcome ?: Conventions.VALUE_UNKNOWN,
        Conventions.ERROR_TYPE, context.failure?.let(Conventions::errorType) ?: Conventions.VALUE_NONE,
    )

    override fun getHighCardinalityKeyValues(context: DataverseOperationContext): KeyValues = KeyValues.of(
        Conventions.CORRELATION_ID, context.operation.correlationId,
        Conventions.SERVER_ADDRESS, context.serverAddress,
        Conventions.SERVER_PORT, context.serverPort.toString(),
    ).let { values -> context.operation.table?.let { values.and(Conventions.TABLE, it) } ?: values }
}

/** The default names and keys of an HTTP attempt's observation (see [DataverseObservation]); open to extend. */
public open class DefaultDataverseRequestConvention : DataverseRequestConvention {
    override fun getName(): String = DataverseObservation.REQUEST_OBSERVATION

    override fun getContextualName(context: DataverseRequestContext): String = context.attempt.method

    override fun getLowCardinalityKeyValues(context: DataverseRequestContext): KeyValues = KeyValues.of(
        Conventions.OPERATION, context.operation.name,
        Conventions.HTTP_METHOD, context.attempt.method,
        Conventions.HTTP_STATUS, (context.response?.statusCode ?: 0).toString(),
        Conventions.ERROR_TYPE, Conventions.attemptErrorType(context.response, context.failure) ?: Conventions.VALUE_NONE,
    )

    override fun getHighCardinalityKeyValues(context: DataverseRequestContext): KeyValues {
        val attempt = context.attempt
        var values = KeyValues.of(
            Conventions.URL_FULL, UrlRedaction.redact(attempt.url),
            Conventions.SERVER_ADDRESS, context.serverAddress,
            Conventions.SERVER_PORT, context.serverPort.toString(),
            Conventions.ATTEMPT, attempt.attempt.toString(),
            Conventions.CLIENT_REQUEST_ID, attempt.clientRequestId,
            Conventions.CORRELATION_ID, attempt.correlationId,
        )
        if (attempt.attempt > 1) values = values.and(Conventions.HTTP_RESEND_COUNT, (attempt.attempt - 1).toString())
        if (attempt.bulkChunkSize > 0) values = values.and(Conventions.BULK_CHUNK_SIZE, attempt.bulkChunkSize.toString())
        context.operation.table?.let { values = values.and(Conventions.TABLE, it) }
        context.response?.let { response -> Conventions.serviceRequestId(response)?.let { values = values.and(Conventions.SERVICE_REQUEST_ID, it) } }
        context.failure?.errorCode?.let { values = values.and(Conventions.ERROR_CODE, it) }
        return values
    }
}

/**
 * The error an observation records for a failed call or attempt, in place of the failure: its message names the
 * failure's class, HTTP status and Dataverse error code, and never quotes the failure's message (which can carry
 * record values). It has no stack trace.
 */
public class DataverseObservedException private constructor(
    /** The failure's class name, e.g. `dev.dataverse.ThrottledException`. */
    public val errorType: String,
    /** The HTTP status of the failure, or 0. */
    public val statusCode: Int,
    /** The Dataverse error code (e.g. `0x80072322`), or `null`. */
    public val errorCode: String?,
) : RuntimeException(
    errorType + (if (statusCode > 0) " (status $statusCode" + (errorCode?.let { ", code $it" } ?: "") + ")" else errorCode?.let { " (code $it)" } ?: ""),
    null,
    false,
    false,
) {
    internal companion object {
        @JvmSynthetic
        fun of(error: Throwable): DataverseObservedException {
            val dataverse = error as? DataverseException
            return DataverseObservedException(Conventions.errorType(error), dataverse?.statusCode ?: 0, dataverse?.errorCode)
        }
    }
}

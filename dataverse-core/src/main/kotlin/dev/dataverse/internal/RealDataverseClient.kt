package dev.dataverse.internal

import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.DataverseClient
import dev.dataverse.FileColumns
import dev.dataverse.InvalidInputException
import dev.dataverse.Messages
import dev.dataverse.Query
import dev.dataverse.Records
import dev.dataverse.Search
import dev.dataverse.RequestOptions
import dev.dataverse.Response
import dev.dataverse.Tables
import dev.dataverse.WhoAmI
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import io.ktor.client.engine.HttpClientEngine
import kotlin.time.Duration
import kotlin.time.TimeSource
import kotlin.time.toKotlinDuration

internal class RealDataverseClient private constructor(
    private val settings: ClientSettings,
    private val transport: HttpTransport,
    /** Shared by a client and its views: metadata reads need no per-call options. */
    private val metadata: TableMetadataCache,
) : DataverseClient {
    constructor(settings: ClientSettings, engine: HttpClientEngine? = null, timeSource: TimeSource = TimeSource.Monotonic) :
        this(settings, HttpTransport(settings, engine), timeSource)

    private constructor(settings: ClientSettings, transport: HttpTransport, timeSource: TimeSource) :
        this(settings, transport, TableMetadataCache(transport, settings.metadataCacheTtl, timeSource))

    override val environmentUrl: String = settings.environmentUrl.value
    override val apiUrl: String = settings.apiUrl
    private val writes = WritePreparer(metadata)
    private val batches = RealBatch(transport, metadata, settings.apiUrl, writes)
    override val records: Records = RealRecords(transport, metadata, RealBulk(transport, metadata, batches, writes), writes)
    override val query: Query = RealQuery(transport, metadata, records)
    override val tables: Tables = RealTables(transport, metadata, settings)
    override val files: FileColumns = RealFileColumns(transport, metadata)
    override val messages: Messages = RealMessages(transport, metadata)
    override val search: Search = RealSearch(transport, settings.environmentUrl.value)
    override val isClosed: Boolean get() = transport.isClosed

    override suspend fun batch(request: BatchRequest): BatchResult = operation(transport, "batch") { batches.execute(request) }

    override suspend fun batchWithResponse(request: BatchRequest): Response<BatchResult> =
        operation(transport, "batchWithResponse") { batches.exchange(request) }

    override suspend fun whoAmI(): WhoAmI = messages.whoAmI()

    override fun withOptions(options: RequestOptions): DataverseClient =
        RealDataverseClient(settings, transport.withOptions(options), metadata)

    override fun withTimeout(timeout: Duration): DataverseClient {
        if (!timeout.isPositive()) throw InvalidInputException("'timeout' must be positive, but was $timeout.")
        return RealDataverseClient(settings, transport.withTimeout(timeout), metadata)
    }

    override fun withTimeout(timeout: java.time.Duration): DataverseClient = withTimeout(timeout.toKotlinDuration())

    override fun close() = transport.close()

    override fun toString(): String = "DataverseClient($environmentUrl${if (isClosed) ", closed" else ""})"
}

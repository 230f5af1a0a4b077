package dev.dataverse.internal

import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.ClientSettings
import dev.dataverse.DataverseClient
import dev.dataverse.Query
import dev.dataverse.Records
import dev.dataverse.Tables
import dev.dataverse.Files
import dev.dataverse.WhoAmI
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import io.ktor.client.engine.HttpClientEngine
import io.ktor.http.HttpMethod
import kotlin.time.TimeSource

internal class RealDataverseClient(
    settings: ClientSettings,
    engine: HttpClientEngine? = null,
    timeSource: TimeSource = TimeSource.Monotonic,
) : DataverseClient {
    private val transport = HttpTransport(settings, engine)
    private val metadata = TableMetadataCache(transport, settings.metadataCacheTtl, timeSource)

    override val environmentUrl: String = settings.environmentUrl.value
    override val apiUrl: String = settings.apiUrl
    private val batches = RealBatch(transport, metadata, settings.apiUrl)
    override val records: Records = RealRecords(transport, metadata, RealBulk(transport, metadata, batches))
    override val query: Query = RealQuery(transport, metadata, records)
    override val tables: Tables = RealTables(transport, metadata, settings)
    override val files: Files = RealFiles(transport, metadata)
    override val isClosed: Boolean get() = transport.isClosed

    override suspend fun batch(request: BatchRequest): BatchResult = operation(transport, "batch") { batches.execute(request) }

    override suspend fun whoAmI(): WhoAmI = operation(transport, "whoAmI") {
        Responses.whoAmI(transport.send(ApiRequest(HttpMethod.Get, "WhoAmI")).body)
    }

    override fun close() = transport.close()

    override fun toString(): String = "DataverseClient($environmentUrl${if (isClosed) ", closed" else ""})"
}

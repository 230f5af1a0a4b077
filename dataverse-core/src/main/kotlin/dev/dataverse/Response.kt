package dev.dataverse

/**
 * A value together with the HTTP response it came from, for callers who need more than the value: the status code, the
 * headers, the request and correlation ids, and the record's new ETag. Returned by the `...WithResponse` variants (and
 * those of the Java facades), in the style of the Azure SDK's `Response<T>`: single-record writes and reads of
 * [Records], a page of records ([Records.pageWithResponse]), a `$batch` ([DataverseClient.batchWithResponse]) and a
 * message or custom API ([Messages.executeWithResponse]).
 *
 * ```kotlin
 * val updated = client.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "Contoso"), ifMatch = etag)
 * etag = updated.etag                                    // the version just written: no second GET needed
 * val upserted = client.records.upsertWithResponse("account", RecordKey.alternate("accountnumber", "A-1"), values)
 * if (upserted.statusCode == 201) println("created ${upserted.value}") else println("updated ${upserted.value}")
 * ```
 */
public interface Response<out T> {
    /** The HTTP status code of the service's answer, e.g. 201 for a record created, 200 for one updated or read. */
    public val statusCode: Int

    /**
     * The response headers, by name, each with its values in the order received. Lookups ignore the case of the name
     * (`headers["etag"]` and `headers["ETag"]` are the same); the map cannot be modified.
     */
    public val headers: Map<String, List<String>>

    /** The first value of the header [name] (case-insensitive), or `null` when the response has no such header. */
    public fun header(name: String): String?

    /**
     * The record's ETag (`W/"<version>"`) after a single-record operation: from the `ETag` header, or the `@odata.etag` of
     * the representation the client asks for on writes; `null` for a delete. Pass it as `ifMatch` to update only this
     * version. For a page, a `$batch` or a message it is the answer's `ETag` header, which the service does not send
     * there (so `null`): the records of a page carry their own [DataverseRecord.etag].
     */
    public val etag: String?

    /** The service's own id of the request (`x-ms-service-request-id`), to quote to Microsoft support; `null` if absent. */
    public val serviceRequestId: String?

    /** The `x-ms-client-request-id` the client sent with the request that got this answer (one per attempt). */
    public val clientRequestId: String

    /** The `x-ms-correlation-id` of the call, shared by all its requests (metadata lookups, retries). */
    public val correlationId: String

    /**
     * The value: the record's id for writes, the record for reads, `null` for a delete, the [Page], the [BatchResult]
     * or the [MessageResult].
     */
    public val value: T
}

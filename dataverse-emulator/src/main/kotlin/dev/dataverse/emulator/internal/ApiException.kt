package dev.dataverse.emulator.internal

/**
 * A failure answered with the service's error JSON `{"error":{"code":..,"message":..}}`.
 * Every layer throws it; the HTTP layer turns it into the response.
 */
internal class ApiException(
    val status: Int,
    val code: String,
    override val message: String,
    val headers: List<Pair<String, String>> = emptyList(),
    /** Instance annotations of the `error` object (`@Microsoft.PowerApps.CDS.ErrorDetails.*`), sent as given. */
    val annotations: Map<String, kotlinx.serialization.json.JsonElement> = emptyMap(),
) : RuntimeException(message)

/** The Dataverse error codes the emulator answers with. */
internal object ErrorCodes {
    const val RECORD_NOT_FOUND = "0x80040217"
    const val DUPLICATE_RECORD = "0x80040237"
    const val VERSION_MISMATCH = "0x80060882"
    const val ODATA_ERROR = "0x80060888"
    const val VALIDATION = "0x80044331"
    const val INVALID_ARGUMENT = "0x80040203"
    const val UNEXPECTED = "0x80040216"
    const val UNAUTHORIZED = "0x80072560"
    const val MESSAGE_NOT_SUPPORTED = "0x8006088a"

    /**
     * Learn ("Troubleshoot Dataverse Web API client errors"): "Resource not found for the segment '...'" for an unknown
     * entity set, function or action, with 404.
     */
    const val RESOURCE_NOT_FOUND = "0x8006088a"
    const val THROTTLE_REQUESTS = "0x80072322"
    const val THROTTLE_EXECUTION_TIME = "0x80072321"
    const val THROTTLE_CONCURRENCY = "0x80072326"
    const val QUERY_BUILDER_NO_ATTRIBUTE = "0x80041103"

    /** Learn (reference/web-service-error-codes): RequestLengthTooLarge, sent with HTTP 413. */
    const val REQUEST_TOO_LARGE = "0x8004418a"

    /** ExpiredVersionStamp: "Version stamp associated with the client has expired. Please perform a full sync." */
    const val EXPIRED_VERSION_STAMP = "0x80044352"

    /** ChangeTrackingNotEnabledForEntity: "Entity {0} isn't enabled for change tracking." */
    const val CHANGE_TRACKING_NOT_ENABLED = "0x80072491"

    /** Learn ("Use elastic tables using code", Link entities are not supported): an inner join on an elastic table. */
    const val LINK_ENTITIES_NOT_SUPPORTED = "0x80048d0b"

    /** Learn (reference/web-service-error-codes): RecordNotFoundByEntityKey, answered with 404. */
    const val RECORD_NOT_FOUND_BY_KEY = "0x80060891"

    /** Learn (reference/web-service-error-codes): DuplicateRecordEntityKey, a write that violates an alternate key. */
    const val DUPLICATE_RECORD_ENTITY_KEY = "0x80060892"

    /** AggregateQueryRecordLimit: an aggregate FetchXML query would evaluate more records than allowed (Learn: "Aggregate data using FetchXml", Limitations). */
    const val AGGREGATE_QUERY_RECORD_LIMIT = "0x8004E023"

    /** Learn (reference/web-service-error-codes): SchemaNameisNotUnique (a table's schema name is taken). */
    const val SCHEMA_NAME_NOT_UNIQUE = "0x80044363"

    /** Learn (reference/web-service-error-codes): DuplicateAttributeSchemaName. */
    const val DUPLICATE_ATTRIBUTE_SCHEMA_NAME = "0x80047013"

    /** Learn (reference/web-service-error-codes): EntityKeyNameExists. */
    const val ENTITY_KEY_NAME_EXISTS = "0x80060893"

    /** Learn (reference/web-service-error-codes): EntityKeyWithSelectedAttributesExists. */
    const val ENTITY_KEY_ATTRIBUTES_EXIST = "0x80060894"

    /** Learn (reference/web-service-error-codes): DuplicateName, used here for a relationship's taken schema name. */
    const val DUPLICATE_NAME = "0x80047010"

    /**
     * An alternate key whose index is not active yet (or failed), used to address a record. The service's code for this
     * is not documented: this one (InvalidArgument) is a guess, and clients must not key behaviour on it.
     */
    const val KEY_NOT_ACTIVE = INVALID_ARGUMENT

    /**
     * A `$filter`, SQL or FetchXML expression, or a JSON request body, nested deeper than the emulator parses. The service's own limit and error
     * for this are not documented: the code is the generic OData query error, a guess that clients must not key on.
     */
    const val QUERY_TOO_DEEP = ODATA_ERROR
}

/** Constructors for the errors the service sends, with its messages. */
internal object ApiErrors {

    fun recordNotFound(table: String, id: Any): ApiException =
        ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "$table With Id = $id Does Not Exist")

    fun recordNotFoundByKey(table: String): ApiException =
        ApiException(404, ErrorCodes.RECORD_NOT_FOUND_BY_KEY, "A record with the specified key values does not exist in $table entity")

    fun duplicateRecord(): ApiException =
        ApiException(412, ErrorCodes.DUPLICATE_RECORD, "A record with matching key values already exists.")

    /** A write whose values are taken under alternate key [key] of [table] by another record. */
    fun duplicateKeyValues(table: String, key: String, columns: List<String>): ApiException =
        ApiException(
            412, ErrorCodes.DUPLICATE_RECORD_ENTITY_KEY,
            "A record that has the attribute values ${columns.joinToString(", ")} already exists. The entity key $key of " +
                "entity $table requires that this set of attributes contains unique values.",
        )

    fun versionMismatch(): ApiException =
        ApiException(
            412,
            ErrorCodes.VERSION_MISMATCH,
            "The version of the existing record doesn't match the RowVersion property provided.",
        )

    fun segmentNotFound(segment: String): ApiException =
        ApiException(404, ErrorCodes.RESOURCE_NOT_FOUND, "Resource not found for the segment '$segment'.")

    fun propertyNotFound(property: String, typeName: String): ApiException =
        ApiException(400, ErrorCodes.ODATA_ERROR, "Could not find a property named '$property' on type '$typeName'.")

    fun invalidKey(typeName: String): ApiException =
        ApiException(
            400,
            ErrorCodes.ODATA_ERROR,
            "The key in the request URI is not valid for resource '$typeName'. Ensure that the names and number of key " +
                "properties match the declared or alternate key properties for the resource '$typeName'.",
        )

    /** A FetchXML or SQL query naming a column the table does not have, with the service's message. */
    fun noAttribute(table: String, attribute: String): ApiException =
        ApiException(
            400,
            ErrorCodes.QUERY_BUILDER_NO_ATTRIBUTE,
            "'$table' entity doesn't contain attribute with Name = '$attribute' and NameMapping = 'Logical'.",
        )

    /** Addressing a record by an alternate key whose index is not (yet) active. */
    fun keyNotActive(table: String, key: String, status: String): ApiException =
        ApiException(
            400,
            ErrorCodes.KEY_NOT_ACTIVE,
            "The entity key '$key' of entity '$table' is not active (EntityKeyIndexStatus: $status); records can be addressed by it once its index is Active.",
        )

    /** A schema name (table, column, relationship, key) that exists already, with the code for that kind of name. */
    fun duplicateMetadata(code: String, message: String): ApiException = ApiException(400, code, message)

    fun badRequest(message: String): ApiException = ApiException(400, ErrorCodes.ODATA_ERROR, message)

    fun validation(message: String): ApiException = ApiException(400, ErrorCodes.VALIDATION, message)

    fun invalidArgument(message: String): ApiException = ApiException(400, ErrorCodes.INVALID_ARGUMENT, message)

    /** A bulk action a table does not offer; clients detect it and fall back to `$batch`. */
    fun messageNotSupported(message: String, table: String): ApiException =
        ApiException(400, ErrorCodes.MESSAGE_NOT_SUPPORTED, "The '$message' message is not supported for entity '$table'.")

    /** `DeleteMultiple` on a standard (non-elastic) table, with the service's message. */
    fun deleteMultipleNotImplemented(): ApiException =
        ApiException(400, ErrorCodes.MESSAGE_NOT_SUPPORTED, "DeleteMultiple has not yet been implemented.")

    /** A `$n` reference in a `$batch` to a Content-ID that no earlier request declared (or that produced no record). */
    fun contentIdNotFound(reference: String): ApiException =
        badRequest("Content-ID Reference: '$reference' does not exist in the batch context.")

    fun methodNotAllowed(method: String, allowed: List<String>): ApiException =
        ApiException(
            405,
            ErrorCodes.ODATA_ERROR,
            "The requested resource does not support http method '$method'.",
            listOf("Allow" to allowed.joinToString(", ")),
        )
}

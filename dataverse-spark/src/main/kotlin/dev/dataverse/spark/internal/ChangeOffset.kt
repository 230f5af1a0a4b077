package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import org.apache.spark.sql.execution.streaming.Offset
import org.apache.spark.sql.connector.read.streaming.Offset as OffsetV2

/**
 * Where a change listing stands: before a run that starts after [deltaToken] (`null`: a full sync, every record), or in
 * the middle of a run, at the page [continuation] designates. [since] is when the last run ended (epoch milliseconds), the
 * age of the delta token.
 */
internal data class ChangePosition(val deltaToken: String?, val continuation: String?, val since: Long) {
    companion object {
        /** Before the first run of a full sync. */
        fun beginning(now: Long): ChangePosition = ChangePosition(null, null, now)
    }
}

/**
 * The offset of the change stream, as Spark checkpoints it in its offset log: the position after micro-batch [batch]
 * (the number of batches the source has planned; its changes are kept under that number, see [ChangeLog]). The JSON is
 * the delta token or the continuation token (a next link of the service) and the batch number, and nothing secret.
 */
internal class ChangeOffset(val batch: Long, val position: ChangePosition) : Offset() {
    override fun json(): String = JsonObject(
        mapOf(
            VERSION to JsonPrimitive(1),
            BATCH to JsonPrimitive(batch),
            DELTA_TOKEN to (position.deltaToken?.let(::JsonPrimitive) ?: JsonNull),
            CONTINUATION to (position.continuation?.let(::JsonPrimitive) ?: JsonNull),
            SINCE to JsonPrimitive(position.since),
        ),
    ).toString()

    override fun toString(): String = "ChangeOffset(batch=$batch, ${if (position.continuation != null) "within a run" else "after a run"})"

    companion object {
        private const val VERSION = "v"
        private const val BATCH = "batch"
        private const val DELTA_TOKEN = "deltaToken"
        private const val CONTINUATION = "continuation"
        private const val SINCE = "since"

        /** [offset] as Spark hands it back: this class within a run of the query, its JSON after a restart. */
        fun of(offset: OffsetV2): ChangeOffset = offset as? ChangeOffset ?: parse(offset.json())

        fun parse(json: String): ChangeOffset {
            val fields = try {
                Json.parseToJsonElement(json) as JsonObject
            } catch (e: Exception) {
                throw InvalidInputException("The checkpointed offset '$json' is not one of the 'dataverse' change stream.", e)
            }
            fun text(name: String) = (fields[name] as? JsonPrimitive)?.contentOrNull
            val batch = fields[BATCH]?.jsonPrimitive?.longOrNull
            if (fields[VERSION]?.jsonPrimitive?.contentOrNull != "1" || batch == null) {
                throw InvalidInputException("The checkpointed offset '$json' is not one of the 'dataverse' change stream (version 1).")
            }
            return ChangeOffset(batch, ChangePosition(text(DELTA_TOKEN), text(CONTINUATION), fields[SINCE]?.jsonPrimitive?.longOrNull ?: 0L))
        }
    }
}

package dev.dataverse.emulator.internal.batch

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.http.ApiRequest
import dev.dataverse.emulator.internal.http.ApiResponse
import dev.dataverse.emulator.internal.http.EmulatorContext
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.RequestTarget
import java.util.IdentityHashMap

/** An executed request of a batch and its response. */
internal class AnsweredOperation(val operation: BatchOperation, val response: ApiResponse) {
    val failed: Boolean get() = response.status >= FIRST_FAILURE_STATUS

    private companion object {
        const val FIRST_FAILURE_STATUS = 400
    }
}

/** What a batch entry contributes to the response: one answer, or the answers of a change set that succeeded. */
internal sealed interface AnsweredEntry {
    class Single(val answer: AnsweredOperation) : AnsweredEntry

    class ChangeSet(val answers: List<AnsweredOperation>) : AnsweredEntry
}

/** The outcome of a batch: the answered entries, and the failure that stopped it when it stopped early. */
internal class BatchExecution(val entries: List<AnsweredEntry>, val stoppedBy: AnsweredOperation?)

/**
 * Runs the requests of a batch in order through the same handlers as top-level requests ([dispatch]), with the outer
 * request's authorization. Each change set runs as one store transaction over the tables its requests address
 * ([dev.dataverse.emulator.internal.store.RecordStore.atomically]), so when one of its requests fails, the earlier ones
 * are undone for real and no other request sees them half done. Without continue-on-error the batch stops at the first
 * failure.
 */
internal class BatchExecutor(
    private val context: EmulatorContext,
    private val dispatch: (ApiRequest) -> ApiResponse,
    private val decorate: (ApiResponse) -> ApiResponse,
) {
    /** Runs [entries]; [authorization] is the outer request's `Authorization` header. */
    fun execute(entries: List<BatchEntry>, authorization: String?, continueOnError: Boolean): BatchExecution {
        val run = Run(authorization, tablesOf(entries))
        val answered = ArrayList<AnsweredEntry>(entries.size)
        for (entry in entries) {
            val failure = when (entry) {
                is BatchEntry.Single -> run.single(entry.operation).also { answered += AnsweredEntry.Single(it) }.takeIf { it.failed }
                is BatchEntry.ChangeSet -> run.changeSet(entry, answered)
            }
            if (failure != null && !continueOnError) return BatchExecution(answered, failure)
        }
        return BatchExecution(answered, null)
    }

    /** The state of one batch run: the record URLs that Content-IDs refer to. */
    private inner class Run(private val authorization: String?, private val tables: Map<BatchOperation, TableDefinition?>) {
        private val entityUrls = HashMap<String, String>()

        fun single(operation: BatchOperation): AnsweredOperation = AnsweredOperation(operation, send(operation))

        /** Runs a change set; adds its answers (all of them, or only the failing one) and returns the failure, if any. */
        fun changeSet(entry: BatchEntry.ChangeSet, answered: MutableList<AnsweredEntry>): AnsweredOperation? {
            val addressed = entry.operations.map { tables[it] }
            // A delete may cascade to any table that refers to the record: such a change set holds every table.
            val locked = if (addressed.any { it == null } || entry.operations.any { it.method == "DELETE" }) {
                context.catalog.tables()
            } else {
                addressed.filterNotNull().distinct()
            }
            return try {
                val answers = context.store.atomically(locked) {
                    entry.operations.map { operation ->
                        AnsweredOperation(operation, send(operation)).also { if (it.failed) throw ChangeSetFailed(it) }
                    }
                }
                answered += AnsweredEntry.ChangeSet(answers)
                null
            } catch (failed: ChangeSetFailed) {
                entry.operations.forEach { operation -> operation.contentId?.let(entityUrls::remove) }
                answered += AnsweredEntry.Single(failed.answer)
                failed.answer
            }
        }

        private fun send(operation: BatchOperation): ApiResponse {
            val response = try {
                val headers = LinkedHashMap<String, MutableList<String>>()
                operation.headers.forEach { (name, value) -> headers.getOrPut(name) { mutableListOf() } += value }
                if (authorization != null && "authorization" !in headers) headers["authorization"] = mutableListOf(authorization)
                dispatch(ApiRequest(operation.method, target(operation.url), headers, body(operation)))
            } catch (e: ApiException) {
                decorate(ApiResponse.error(e))
            }
            val entityUrl = response.header(ENTITY_ID_HEADER)
            if (operation.contentId != null && entityUrl != null && response.status < FAILURE_STATUS) entityUrls[operation.contentId] = entityUrl
            return response
        }

        /** The server-relative request target of [url], `$n` references resolved. */
        private fun target(url: String): String {
            val reference = ContentIdReferences.ofUrl(url) ?: return normalize(url)
            return normalize(ContentIdReferences.replaceInUrl(url, reference, resolve(reference)))
        }

        private fun body(operation: BatchOperation): ByteArray {
            val json = ContentIdReferences.parseIfReferencing(operation.body) ?: return operation.body
            if (ContentIdReferences.ofBody(json).isEmpty()) return operation.body
            return ContentIdReferences.substitute(json, ::resolve).toString().toByteArray(Charsets.UTF_8)
        }

        /** The URL of the record the request with [contentId] created, or the service's error when there is none. */
        private fun resolve(contentId: String): String = entityUrls[contentId] ?: throw ApiErrors.contentIdNotFound("$$contentId")
    }

    /** The table each request addresses, from its URL (a `$n` reference addresses the table of request `n`); null when unknown. */
    private fun tablesOf(entries: List<BatchEntry>): Map<BatchOperation, TableDefinition?> {
        val tables = IdentityHashMap<BatchOperation, TableDefinition?>()
        val byContentId = HashMap<String, TableDefinition?>()
        for (operation in entries.flatMap { it.operations }) {
            val reference = ContentIdReferences.ofUrl(operation.url)
            val table = if (reference != null) byContentId[reference] else tableOf(operation.url)
            tables[operation] = table
            operation.contentId?.let { byContentId[it] = table }
        }
        return tables
    }

    private fun tableOf(url: String): TableDefinition? {
        val target = try {
            RequestTarget.parse(normalize(url), EmulatorContext.API_ROOT_PATH)
        } catch (e: ApiException) {
            null
        }
        return target?.segments?.firstOrNull()?.name?.let(context.catalog::tableBySet)
    }

    /** A thrown failure that makes [dev.dataverse.emulator.internal.store.RecordStore.atomically] undo a change set. */
    private class ChangeSetFailed(val answer: AnsweredOperation) : RuntimeException(null, null, false, false)

    companion object {
        private const val ENTITY_ID_HEADER = "OData-EntityId"
        private const val FAILURE_STATUS = 400

        /** The server-relative target (`/api/data/v9.2/...`) of an absolute, server-relative or API-root-relative URL. */
        fun normalize(url: String): String {
            val scheme = url.indexOf("://")
            if (scheme > 0 && url.substring(0, scheme).all { it.isLetter() }) {
                val pathStart = url.indexOf('/', scheme + 3)
                return if (pathStart < 0) "/" else url.substring(pathStart)
            }
            return if (url.startsWith("/")) url else "${EmulatorContext.API_ROOT_PATH}/$url"
        }
    }
}

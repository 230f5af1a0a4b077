package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.odata.RequestTarget
import dev.dataverse.emulator.internal.work.RequestDeadline
import org.slf4j.LoggerFactory
import java.util.UUID

/**
 * The single entry point for every API request, top-level or inside a `$batch`: checks the bearer token, parses the
 * raw request target, routes to the handler of its first segment, turns failures into the service's error JSON and
 * adds the headers every API response carries (`OData-Version`, `x-ms-service-request-id`, `x-ms-dop-hint`).
 */
internal class ApiRouter(private val context: EmulatorContext) {
    private val metadata = MetadataHandler(context)
    private val records = RecordHandler(context)
    private val batch = BatchHandler(context, this)
    private val bulkDelete = BulkDeleteHandler(context)
    private val fileBlocks = FileBlockHandler(context)
    private val synthetic = context.synthetic?.let { SyntheticRowsHandler(context, it) }
    private val messages = MessageHandler(context)
    private val search = SearchHandler(context.search)

    /**
     * Handles [request]; never throws. Links in the answer are built for the host the request addressed. Runs inside the
     * context's [gate][EmulatorContext.gate], so never alongside a snapshot, restore or reset.
     */
    fun handle(request: ApiRequest): ApiResponse = context.gate.serving {
        context.servingHost(RequestTargets.baseUrlFor(request.header("Host"), context.baseUrl.substringBefore("://"))) { handleHere(request) }
    }

    private fun handleHere(request: ApiRequest): ApiResponse {
        val response = try {
            RequestDeadline.check()
            route(request)
        } catch (e: ApiException) {
            ApiResponse.error(e)
        } catch (e: StackOverflowError) {
            // A backstop for nesting the parsers do not bound (e.g. $expand): the request is refused, the thread unwinds,
            // and a $batch part fails alone (rolling back its change set) instead of ending the whole batch with an empty 500.
            logger.warn("Request nested too deeply: {} {}", request.method, request.rawTarget.take(200))
            ApiResponse.error(ApiException(400, ErrorCodes.QUERY_TOO_DEEP, "The request is nested too deeply to be processed."))
        } catch (e: Throwable) {
            // Any other failure, an Error included (a custom API's handler may throw one), is answered in the service's
            // error shape, and a $batch part fails alone.
            unexpected(request, e)
        }
        return decorate(response)
    }

    private fun unexpected(request: ApiRequest, failure: Throwable): ApiResponse {
        logger.error("Unexpected failure handling {} {}", request.method, request.rawTarget.take(200), failure)
        return ApiResponse.error(ApiException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred: ${failure.message ?: failure.javaClass.name}"))
    }

    /**
     * Handles a request that arrived on its own (not inside a `$batch`), then removes file content that a write left
     * without a record: a deleted record, column or table, or a file replaced by a newer upload. Never throws.
     */
    fun serve(request: ApiRequest): ApiResponse = try {
        context.gate.serving {
            val response = handle(request)
            if (request.method != "GET") context.sweepFiles()
            response
        }
    } catch (e: Throwable) {
        decorate(unexpected(request, e))
    }

    /** [response] with the headers every API response carries. */
    fun decorate(response: ApiResponse): ApiResponse {
        val requestId = UUID.randomUUID().toString()
        return response.withHeaders(
            listOf(
                "OData-Version" to "4.0",
                "x-ms-service-request-id" to requestId,
                "REQ_ID" to requestId,
                "x-ms-dop-hint" to context.options.dopHint.toString(),
            ),
        )
    }

    private fun route(request: ApiRequest): ApiResponse {
        val path = request.rawTarget.substringBefore('?')
        if (path.startsWith(SearchHandler.ROOT_PATH)) {
            Authentication.check(request.header("Authorization"), context.options.requiredToken, context.baseUrl)
            return search.handle(request, path.removePrefix(SearchHandler.ROOT_PATH))
        }
        if (path.startsWith(SearchHandler.ROOT_PATH_V1)) {
            Authentication.check(request.header("Authorization"), context.options.requiredToken, context.baseUrl)
            return search.handleV1(request, path.removePrefix(SearchHandler.ROOT_PATH_V1))
        }
        if (path != EmulatorContext.API_ROOT_PATH && !path.startsWith(EmulatorContext.API_ROOT_PATH + "/")) {
            throw ApiErrors.segmentNotFound(path.trimStart('/').substringBefore('/'))
        }
        Authentication.check(request.header("Authorization"), context.options.requiredToken, context.baseUrl)
        val target = RequestTarget.parse(request.rawTarget, EmulatorContext.API_ROOT_PATH)!!
        val scope = RequestOptionsReader.scopeOf(request, target, context)
        return context.within(scope) { dispatch(ApiCall(request, target, context)) }
    }

    private fun dispatch(call: ApiCall): ApiResponse {
        val target = call.target
        val first = target.segments.firstOrNull() ?: return ServiceHandlers.serviceDocument(call)
        return when (first.name) {
            METADATA -> ServiceHandlers.metadataDocument(call)
            BATCH -> batch.handle(call)
            BULK_DELETE, QUALIFIED_BULK_DELETE -> bulkDelete.handle(call)
            in FileBlockHandler.ACTIONS -> fileBlocks.handle(call, first.name)
            in QUALIFIED_FILE_ACTIONS -> fileBlocks.handle(call, first.name.removePrefix(QUALIFIER))
            ENTITY_DEFINITIONS -> metadata.handle(call)
            RELATIONSHIP_DEFINITIONS -> metadata.handleRelationships(call)
            GLOBAL_OPTION_SET_DEFINITIONS -> metadata.handleGlobalOptionSets(call)
            else -> {
                val table = context.catalog.tableBySet(first.name)
                    ?: return messages.unbound(call, first) ?: throw ApiErrors.segmentNotFound(first.name)
                messages.bound(call, table, target.segments)?.let { return it }
                if (synthetic != null && table == context.synthetic?.table) synthetic.handle(call) else records.handle(call, table)
            }
        }
    }

    companion object {
        const val METADATA: String = "\$metadata"
        const val BATCH: String = "\$batch"
        const val WHO_AM_I: String = "WhoAmI"
        const val BULK_DELETE: String = "BulkDelete"
        const val QUALIFIED_BULK_DELETE: String = "Microsoft.Dynamics.CRM.BulkDelete"
        const val ENTITY_DEFINITIONS: String = "EntityDefinitions"
        const val RELATIONSHIP_DEFINITIONS: String = "RelationshipDefinitions"
        const val GLOBAL_OPTION_SET_DEFINITIONS: String = "GlobalOptionSetDefinitions"
        private const val QUALIFIER = "Microsoft.Dynamics.CRM."
        private val QUALIFIED_FILE_ACTIONS = FileBlockHandler.ACTIONS.map { QUALIFIER + it }.toSet()
        private val logger = LoggerFactory.getLogger(ApiRouter::class.java)
    }
}

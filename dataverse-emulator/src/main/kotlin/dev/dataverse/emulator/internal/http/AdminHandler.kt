package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorSnapshot
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.json.BoundedJson
import dev.dataverse.emulator.internal.messages.CustomApis
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.put
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * The admin API under `/_emulator`, outside the API root: never throttled, faulted or counted. It lets tests and
 * tools in any language control a running emulator: fault rules, counters, reset, snapshots and the concurrency limit. Requests
 * reach it only past the [AdminGuard] (loopback Host, no foreign Origin, JSON POSTs, the admin token when configured).
 * The routes are documented on [dev.dataverse.emulator.DataverseEmulator].
 */
internal class AdminHandler(private val context: EmulatorContext) {
    /** Snapshots taken over HTTP, by id, until deleted. */
    private val snapshots = ConcurrentHashMap<String, EmulatorSnapshot>()
    private val snapshotIds = AtomicLong()

    /** Handles [request] (its target starts with [PREFIX]); never throws. */
    fun handle(request: ApiRequest): ApiResponse = try {
        route(request)
    } catch (e: ApiException) {
        // A body past the JSON limits of Web API bodies: the same answer they get, as for an admin body past its size cap.
        ApiResponse.error(e)
    } catch (e: IllegalArgumentException) {
        error(400, e.message ?: "Invalid request.")
    }

    private fun route(request: ApiRequest): ApiResponse {
        val path = request.rawTarget.substringBefore('?').removePrefix(PREFIX).trimEnd('/')
        return when (path) {
            "/faults" -> when (request.method) {
                "GET" -> json(200, faultList())
                "POST" -> addFault(request)
                "DELETE" -> {
                    context.faults.clear()
                    ApiResponse.empty(204)
                }
                else -> methodNotAllowed(request, "GET, POST, DELETE")
            }
            "/stats" -> if (request.method == "GET") json(200, stats()) else methodNotAllowed(request, "GET")
            "/reset" -> if (request.method == "POST") ApiResponse.empty(204).also { context.reset() } else methodNotAllowed(request, "POST")
            "/concurrency-limit" -> when (request.method) {
                "GET" -> json(200, limit())
                "PUT" -> {
                    context.concurrencyLimit = readLimit(request.body)
                    json(200, limit())
                }
                else -> methodNotAllowed(request, "GET, PUT")
            }
            "/certificate" -> if (request.method == "GET") certificate() else methodNotAllowed(request, "GET")
            "/custom-apis" -> when (request.method) {
                "GET" -> json(200, customApis())
                "POST" -> {
                    val definition = CustomApis.canned(parse(request.body) as? JsonObject ?: throw IllegalArgumentException("The body must be a JSON object."))
                    context.messages.register(definition)
                    json(201, buildJsonObject { put("uniqueName", definition.name) })
                }
                else -> methodNotAllowed(request, "GET, POST")
            }
            "/solutions" -> if (request.method == "GET") json(200, solutions()) else methodNotAllowed(request, "GET")
            "/duplicate-rules" -> if (request.method == "POST") addDuplicateRule(request) else methodNotAllowed(request, "POST")
            "/snapshots" -> when (request.method) {
                "GET" -> json(200, JsonObject(mapOf("snapshots" to JsonArray(snapshots.keys.sortedBy { it.toLong() }.map(::JsonPrimitive)))))
                "POST" -> takeSnapshot()
                else -> methodNotAllowed(request, "GET, POST")
            }
            else -> when {
                path.startsWith("/custom-apis/") && request.method == "DELETE" ->
                    if (context.messages.unregister(path.removePrefix("/custom-apis/"))) ApiResponse.empty(204) else error(404, "No custom API '${path.removePrefix("/custom-apis/")}'.")
                path.startsWith("/snapshots/") -> snapshot(request, path.removePrefix("/snapshots/"))
                else -> error(404, "No admin resource '$PREFIX$path'; see the KDoc of DataverseEmulator for the admin API.")
            }
        }
    }

    private fun takeSnapshot(): ApiResponse {
        val snapshot = EmulatorSnapshot.take(context)
        val id = snapshotIds.incrementAndGet().toString()
        snapshots[id] = snapshot
        return json(201, buildJsonObject {
            put("id", id)
            put("records", snapshot.recordCount)
        })
    }

    /** `POST /snapshots/<id>/restore` and `DELETE /snapshots/<id>`. */
    private fun snapshot(request: ApiRequest, rest: String): ApiResponse {
        val restore = rest.endsWith("/restore")
        val id = rest.removeSuffix("/restore")
        val snapshot = snapshots[id] ?: return error(404, "No snapshot '$id'; POST $PREFIX/snapshots takes one.")
        return when {
            restore && request.method == "POST" -> {
                snapshot.restoreInto(context)
                ApiResponse.empty(204)
            }
            restore -> methodNotAllowed(request, "POST")
            request.method == "DELETE" -> {
                snapshots.remove(id, snapshot)
                snapshot.close()
                ApiResponse.empty(204)
            }
            else -> methodNotAllowed(request, "DELETE")
        }
    }

    private fun customApis(): JsonObject = JsonObject(mapOf("customApis" to JsonArray(context.messages.customNames().map(::JsonPrimitive))))

    private fun solutions(): JsonObject =
        JsonObject(context.solutions.all().mapValues { (_, components) -> JsonArray(components.map(::JsonPrimitive)) })

    /** `{"table": "account", "columns": ["name"]}`. */
    private fun addDuplicateRule(request: ApiRequest): ApiResponse {
        val body = parse(request.body) as? JsonObject ?: throw IllegalArgumentException("The body must be a JSON object.")
        val table = (body["table"] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw IllegalArgumentException("'table' is required.")
        val columns = (body["columns"] as? JsonArray)?.map { (it as? JsonPrimitive)?.content ?: throw IllegalArgumentException("'columns' must be strings.") }
            ?: throw IllegalArgumentException("'columns' is required.")
        context.duplicateRules.add(table, columns)
        return ApiResponse.empty(204)
    }

    private fun addFault(request: ApiRequest): ApiResponse {
        val rule = FaultRuleJson.fromJson(parse(request.body))
        context.faults.add(rule)
        return json(201, FaultRuleJson.toJson(rule))
    }

    private fun faultList(): JsonObject = JsonObject(mapOf("faults" to JsonArray(context.faults.rules().map(FaultRuleJson::toJson))))

    private fun stats(): JsonObject {
        val stats = context.stats
        return buildJsonObject {
            put("requests", stats.requests)
            put("inFlight", stats.inFlight)
            put("maxInFlight", stats.maxInFlight)
            put("throttled", stats.throttled)
            put("serviceProtectionRefusals", stats.serviceProtectionRefusals)
            put("faultsInjected", stats.faultsInjected)
            put("faultsInjectedByKind", JsonObject(FaultKind.entries.associate { it.name to JsonPrimitive(stats.faultsInjected(it)) }))
            put("disconnects", stats.disconnects)
            put("connectionsAccepted", stats.connectionsAccepted)
            put("tlsHandshakes", stats.tlsHandshakes)
            put("requestsWith", JsonObject(dev.dataverse.emulator.RequestOption.entries.associate { it.name to JsonPrimitive(stats.requestsWith(it)) }))
            stats.lastTag?.let { put("lastTag", it) }
        }
    }

    /** The https certificate in PEM, for clients that must be told to trust it (curl `--cacert`, `keytool -importcert`). */
    private fun certificate(): ApiResponse {
        val pem = context.certificatePem ?: return error(404, "The emulator serves plain http: it has no certificate (start it with --tls).")
        return ApiResponse(200, emptyList(), pem.toByteArray(Charsets.US_ASCII), PEM_CONTENT_TYPE)
    }

    private fun limit(): JsonObject = buildJsonObject { put("limit", context.concurrencyLimit) }

    /** `{"limit": N}` or a bare `N`. */
    private fun readLimit(body: ByteArray): Int {
        val json = parse(body)
        val value = (if (json is JsonObject) json["limit"] else json) as? JsonPrimitive
        return value?.takeIf { !it.isString }?.intOrNull ?: throw IllegalArgumentException("The body must be {\"limit\": <non-negative integer>}.")
    }

    /** Under the same size and depth limits as Web API bodies ([BoundedJson]). */
    private fun parse(body: ByteArray): JsonElement = try {
        BoundedJson.parse(body)
    } catch (e: SerializationException) {
        throw IllegalArgumentException("The body is not valid JSON: ${e.message?.lineSequence()?.firstOrNull()}")
    }

    private fun methodNotAllowed(request: ApiRequest, allowed: String): ApiResponse =
        error(405, "$PREFIX does not support ${request.method} here; allowed: $allowed.").withHeaders(listOf("Allow" to allowed))

    private fun json(status: Int, body: JsonObject) = ApiResponse(status, emptyList(), body.toString().toByteArray(Charsets.UTF_8), CONTENT_TYPE)

    private fun error(status: Int, message: String): ApiResponse =
        json(status, buildJsonObject { put("error", buildJsonObject { put("message", message) }) })

    companion object {
        /** The path prefix of the admin API. */
        const val PREFIX: String = "/_emulator"
        private const val CONTENT_TYPE = "application/json"
        private const val PEM_CONTENT_TYPE = "application/x-pem-file"

        /** Whether a raw request target addresses the admin API. */
        fun owns(rawTarget: String): Boolean {
            val path = rawTarget.substringBefore('?')
            return path == PREFIX || path.startsWith("$PREFIX/")
        }
    }
}

package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.batch.AnsweredEntry
import dev.dataverse.emulator.internal.batch.BatchExecutor
import dev.dataverse.emulator.internal.batch.BatchReader
import dev.dataverse.emulator.internal.batch.BatchResponseWriter
import dev.dataverse.emulator.internal.odata.QueryOptions

/**
 * `POST $batch`: reads the multipart body (a malformed one, or one the service rejects as a whole, is a plain JSON
 * 400), runs its requests, and answers 200 with every response, or, without `Prefer: odata.continue-on-error`, stops
 * at the first failure and answers with that failure's status and only its response.
 */
internal class BatchHandler(private val context: EmulatorContext, private val router: ApiRouter) {

    fun handle(call: ApiCall): ApiResponse {
        if (call.method != "POST") throw ApiErrors.methodNotAllowed(call.method, listOf("POST"))
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        QueryOptions.parse(call.target.parameters, emptySet())
        val entries = BatchReader.read(call.request.header("Content-Type"), call.request.body)
        val continueOnError = call.preferences.continueOnError
        val execution = BatchExecutor(context, router::handle, router::decorate)
            .execute(entries, call.request.header("Authorization"), continueOnError)
        val stoppedBy = execution.stoppedBy
        if (stoppedBy != null) {
            val (body, contentType) = BatchResponseWriter.write(listOf(AnsweredEntry.Single(stoppedBy)))
            return ApiResponse(stoppedBy.response.status, emptyList(), body, contentType)
        }
        val (body, contentType) = BatchResponseWriter.write(execution.entries)
        val applied = if (continueOnError) listOf(ApiCall.PREFERENCE_APPLIED to CONTINUE_ON_ERROR) else emptyList()
        return ApiResponse(200, applied, body, contentType)
    }

    private companion object {
        const val CONTINUE_ON_ERROR = "odata.continue-on-error"
    }
}

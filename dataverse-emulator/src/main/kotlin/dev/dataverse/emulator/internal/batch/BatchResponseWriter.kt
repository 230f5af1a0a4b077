package dev.dataverse.emulator.internal.batch

import dev.dataverse.emulator.internal.http.ApiResponse
import io.ktor.http.HttpStatusCode
import java.io.ByteArrayOutputStream
import java.util.UUID

/**
 * Writes a `$batch` response body as the service does: `multipart/mixed; boundary=batchresponse_<uuid>`, change sets
 * nested as `multipart/mixed; boundary=changesetresponse_<uuid>`, each answer an `application/http` part with
 * `Content-Transfer-Encoding: binary`, its `Content-ID` when the request had one, the status line, the inner
 * response's headers (`Location` added for creates), a blank line and the body. CRLF line ends throughout.
 */
internal object BatchResponseWriter {
    private const val CRLF = "\r\n"

    /** The body and its Content-Type. */
    fun write(entries: List<AnsweredEntry>): Pair<ByteArray, String> {
        val boundary = "batchresponse_${UUID.randomUUID()}"
        val out = ByteArrayOutputStream()
        for (entry in entries) {
            out.text("--$boundary$CRLF")
            when (entry) {
                is AnsweredEntry.Single -> writePart(out, entry.answer)
                is AnsweredEntry.ChangeSet -> {
                    val changeSet = "changesetresponse_${UUID.randomUUID()}"
                    out.text("Content-Type: multipart/mixed; boundary=$changeSet$CRLF$CRLF")
                    for (answer in entry.answers) {
                        out.text("--$changeSet$CRLF")
                        writePart(out, answer)
                        out.text(CRLF)
                    }
                    out.text("--$changeSet--")
                }
            }
            out.text(CRLF)
        }
        out.text("--$boundary--$CRLF")
        return out.toByteArray() to "multipart/mixed; boundary=$boundary"
    }

    private fun writePart(out: ByteArrayOutputStream, answer: AnsweredOperation) {
        val response = answer.response
        out.text("Content-Type: application/http$CRLF")
        out.text("Content-Transfer-Encoding: binary$CRLF")
        answer.operation.contentId?.let { out.text("Content-ID: $it$CRLF") }
        out.text(CRLF)
        out.text("HTTP/1.1 ${response.status} ${HttpStatusCode.fromValue(response.status).description}$CRLF")
        response.contentType?.let { out.text("Content-Type: $it$CRLF") }
        for ((name, value) in response.headers) out.text("$name: $value$CRLF")
        val entityId = response.header("OData-EntityId")
        if (answer.operation.method == "POST" && entityId != null && response.header("Location") == null && !answer.failed) {
            out.text("Location: $entityId$CRLF")
        }
        out.text(CRLF)
        response.body?.let(out::write)
    }

    private fun ByteArrayOutputStream.text(text: String) {
        write(text.toByteArray(Charsets.UTF_8))
    }
}

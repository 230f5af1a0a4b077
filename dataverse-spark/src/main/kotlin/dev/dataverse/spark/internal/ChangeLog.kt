package dev.dataverse.spark.internal

import dev.dataverse.Change
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.jsonPrimitive
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.FileSystem
import org.apache.hadoop.fs.Path
import java.io.BufferedWriter

/**
 * The changes of each micro-batch of a change stream, kept in the query's checkpoint (the source's metadata directory,
 * on whatever file system the checkpoint is) from the moment the source plans the batch until a later batch commits.
 *
 * Change tracking answers "what changed since this delta token" as of the moment it is asked: asking again later gives
 * more. Spark, after a failure, runs a planned batch again from its offsets and expects the same rows, so the rows of a
 * batch are written here, page by page as they arrive, before its offset is handed to Spark; a batch that runs again
 * reads them back, and nothing is missed or repeated. One file per page of the service (`part-<n>.jsonl`), one line per
 * change: `{"deleted":false,"id":...,"record":{...as the service sent it}}` or `{"deleted":true,"id":...}`.
 */
internal class ChangeLog(root: String, private val hadoop: Configuration) {
    private val root = Path(root, DIRECTORY)
    private val fs: FileSystem = this.root.getFileSystem(hadoop)

    /** Starts the changes of [batch] afresh (a batch planned before a restart but never logged by Spark is planned again). */
    fun begin(batch: Long): BatchWriter {
        val directory = Path(root, batch.toString())
        if (fs.exists(directory)) fs.delete(directory, true)
        fs.mkdirs(directory)
        return BatchWriter(directory)
    }

    inner class BatchWriter(private val directory: Path) {
        private var pages = 0

        /** Writes one page of changes as one file. */
        fun page(changes: List<Change>) {
            if (changes.isEmpty()) return
            val file = Path(directory, String.format("part-%05d.jsonl", pages++))
            fs.create(file, true).bufferedWriter(Charsets.UTF_8).use { out -> changes.forEach { out.line(it) } }
        }

        /** Drops this batch's directory: the source found nothing to plan. */
        fun discard() {
            fs.delete(directory, true)
        }

        private fun BufferedWriter.line(change: Change) {
            val fields = LinkedHashMap<String, kotlinx.serialization.json.JsonElement>()
            fields[DELETED] = JsonPrimitive(change.isDeleted)
            fields[ID] = JsonPrimitive(change.id.toString())
            change.record?.let { fields[RECORD] = it.toJson() }
            write(JsonObject(fields).toString())
            newLine()
        }
    }

    /** The files of [batch], in page order. */
    fun files(batch: Long): List<String> {
        val directory = Path(root, batch.toString())
        if (!fs.exists(directory)) {
            throw IllegalStateException(
                "The changes of micro-batch $batch are missing from the checkpoint ($directory): the checkpoint was altered. Start " +
                    "the query with a new checkpoint location (a full sync, or 'startFrom' now).",
            )
        }
        return fs.listStatus(directory).map { it.path }.filter { it.name.endsWith(".jsonl") }.sortedBy { it.name }.map { it.toString() }
    }

    /** Drops the changes of batches before [batch]: Spark asks again for the last committed one only, after a restart. */
    fun forgetBefore(batch: Long) {
        if (!fs.exists(root)) return
        for (status in fs.listStatus(root)) {
            val number = status.path.name.toLongOrNull() ?: continue
            if (number < batch) fs.delete(status.path, true)
        }
    }

    /** The position a new query starts from, once chosen: kept so that a restart before its first batch starts there too. */
    fun initial(choose: () -> ChangePosition): ChangePosition {
        val file = Path(root, INITIAL)
        if (fs.exists(file)) {
            return ChangeOffset.parse(fs.open(file).use { it.readBytes().toString(Charsets.UTF_8) }).position
        }
        val position = choose()
        fs.mkdirs(root)
        val temporary = Path(root, "$INITIAL.tmp")
        fs.create(temporary, true).use { it.write(ChangeOffset(0, position).json().toByteArray(Charsets.UTF_8)) }
        fs.rename(temporary, file)
        return position
    }

    companion object {
        const val DIRECTORY = "dataverse-changes"
        private const val INITIAL = "initial.json"
        private const val DELETED = "deleted"
        private const val ID = "id"
        private const val RECORD = "record"

        /** One line of a batch file: whether it is a deletion, the id, and the record's JSON (`null` for a deletion). */
        fun read(line: String): Triple<Boolean, String, JsonObject?> {
            val fields = Json.parseToJsonElement(line) as JsonObject
            return Triple(fields.getValue(DELETED).jsonPrimitive.boolean, fields.getValue(ID).jsonPrimitive.content, fields[RECORD] as? JsonObject)
        }
    }
}

package dev.dataverse.spark.internal

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.apache.hadoop.fs.Path
import org.apache.spark.SparkContext

/**
 * Writes the failed rows of a write with `onError=continue` as JSON lines to `<failuresPath>/<seed>.json`, on the
 * driver, from the commit messages of the tasks that succeeded (so a retried task's failures appear once). Any Hadoop
 * file system path works (local, HDFS, ABFS, S3A); read it back with `spark.read.json(path)`. Each row holds its fields
 * with their values as the user wrote them ([RowJson]), so that it can be fixed and written again.
 */
internal object FailureOutput {
    fun write(directory: String, seed: String, failures: List<RowFailure>) {
        val path = Path(directory, seed.replace(UNSAFE, "_") + ".json")
        val fileSystem = path.getFileSystem(SparkContext.getOrCreate().hadoopConfiguration())
        fileSystem.create(path, true).bufferedWriter(Charsets.UTF_8).use { out ->
            for (failure in failures) {
                out.write(line(failure).toString())
                out.newLine()
            }
        }
    }

    fun line(failure: RowFailure): JsonObject = JsonObject(
        mapOf(
            "partition" to JsonPrimitive(failure.partition),
            "row" to Json.parseToJsonElement(failure.row),
            "statusCode" to JsonPrimitive(failure.statusCode),
            "errorCode" to (failure.errorCode?.let(::JsonPrimitive) ?: JsonNull),
            "message" to JsonPrimitive(failure.message),
        ),
    )

    private val UNSAFE = Regex("[^A-Za-z0-9._-]")
}

package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.DownloadOptions
import dev.dataverse.HttpEngine
import dev.dataverse.UploadOptions
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.HexFormat
import java.util.UUID
import kotlin.system.exitProcess

/**
 * Run in a JVM with a heap far smaller than the file (see [LargeFileIntegrationSpec]): uploads the file at `<source>`
 * from its path and downloads it to `<target>`, then uploads it again as a flow of unknown size (block API) and
 * downloads it as a flow, printing the SHA-256 of each download as `<PREFIX><step>=<hex>`. Exits 0 on success, 2 on an
 * error, 3 on OutOfMemoryError.
 *
 * Arguments: `<baseUrl> <table> <record id> <column> <source> <target> [<engine>]`, the engine being an [HttpEngine]
 * name (default JDK).
 */
object FileTransferChildMain {
    const val PREFIX: String = "FILE-TRANSFER "
    private const val PIECE = 1024 * 1024 + 17 // deliberately not a divisor of the chunk size

    @JvmStatic
    fun main(args: Array<String>) {
        val (baseUrl, table, idText, column, sourceText) = args
        val source = Path.of(sourceText)
        val target = Path.of(args[5])
        val id = UUID.fromString(idText)
        val engine = HttpEngine.valueOf(args.getOrElse(6) { HttpEngine.JDK.name })
        val code = try {
            DataverseClient {
                environmentUrl(baseUrl)
                token("test-token")
                httpEngine(engine)
            }.use { client ->
                runBlocking {
                    client.files.upload(table, id, column, source)
                    val info = client.files.download(table, id, column, target)
                    report("path-size", info.size.toString())
                    report("path", sha256(target))

                    // Unknown size: read from disk piece by piece (no flowOn, whose buffer would hold 64 pieces).
                    val pieces = flow {
                        Files.newInputStream(source).use { input ->
                            while (true) {
                                val piece = withContext(Dispatchers.IO) { input.readNBytes(PIECE) }
                                if (piece.isEmpty()) break
                                emit(piece)
                            }
                        }
                    }
                    client.files.upload(table, id, column, pieces, "again.bin", UploadOptions(contentType = "application/x-test"))
                    val digest = MessageDigest.getInstance("SHA-256")
                    client.files.downloadFlow(table, id, column, DownloadOptions()).collect { digest.update(it) }
                    report("flow", HexFormat.of().formatHex(digest.digest()))
                }
            }
            0
        } catch (e: OutOfMemoryError) {
            System.err.println("OutOfMemoryError: ${e.message}")
            e.printStackTrace()
            3
        } catch (e: Exception) {
            e.printStackTrace()
            2
        }
        report("heap-max", Runtime.getRuntime().maxMemory().toString())
        System.out.flush()
        exitProcess(code)
    }

    private fun report(step: String, value: String) = println("$PREFIX$step=$value")

    fun sha256(path: Path): String {
        val digest = MessageDigest.getInstance("SHA-256")
        Files.newInputStream(path).use { input ->
            val buffer = ByteArray(64 * 1024)
            while (true) {
                val read = input.read(buffer)
                if (read < 0) break
                digest.update(buffer, 0, read)
            }
        }
        return HexFormat.of().formatHex(digest.digest())
    }
}

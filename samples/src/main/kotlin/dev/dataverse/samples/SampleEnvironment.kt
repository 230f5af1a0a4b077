package dev.dataverse.samples

import com.azure.identity.DefaultAzureCredentialBuilder
import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import java.nio.file.Files
import java.nio.file.Path

/**
 * Where the samples run: a real environment when `DATAVERSE_URL` is set, else an emulator started in this process.
 * Closing it closes the client and, if one was started, the emulator.
 */
class SampleEnvironment private constructor(
    val client: DataverseClient,
    val description: String,
    private val emulator: DataverseEmulator?,
) : AutoCloseable {
    override fun close() {
        client.close()
        emulator?.close()
    }

    companion object {
        /**
         * Opens the environment; an emulator it starts is seeded with [schema] (a schema snapshot: its tables, columns
         * and choices exist from the start), as tests of an application with typed models would be. A real environment
         * is expected to have them already.
         */
        @JvmStatic
        @JvmOverloads
        fun open(schema: Path? = null): SampleEnvironment {
            val url = System.getenv("DATAVERSE_URL")?.takeIf { it.isNotBlank() }
            if (url == null) {
                val emulator = DataverseEmulator.start(EmulatorOptions(schema = schema))
                val client = DataverseClient {
                    environmentUrl(emulator.baseUrl)
                    token("emulator")
                }
                return SampleEnvironment(client, "the embedded emulator at ${emulator.baseUrl}", emulator)
            }
            val token = System.getenv("DATAVERSE_TOKEN")?.takeIf { it.isNotBlank() }
            val client = DataverseClient {
                environmentUrl(url)
                if (token != null) token(token) else credential(DefaultAzureCredentialBuilder().build())
                applicationId("dataverse-samples")
            }
            return SampleEnvironment(client, url + if (token != null) " (token from DATAVERSE_TOKEN)" else " (DefaultAzureCredential)", null)
        }

        /**
         * The sample snapshot the typed models are generated from: the `dataverse.samples.schema` system property (the
         * pom sets it for `exec:java`), else `schema/dataverse-schema.json` under the samples module or the repository.
         */
        @JvmStatic
        fun sampleSchema(): Path {
            System.getProperty("dataverse.samples.schema")?.let { return Path.of(it) }
            return listOf(Path.of("schema/dataverse-schema.json"), Path.of("samples/schema/dataverse-schema.json")).firstOrNull { Files.isRegularFile(it) }
                ?: throw IllegalStateException("Cannot find schema/dataverse-schema.json; set -Ddataverse.samples.schema=PATH.")
        }
    }
}

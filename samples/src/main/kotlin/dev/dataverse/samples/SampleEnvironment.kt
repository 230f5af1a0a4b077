package dev.dataverse.samples

import com.azure.identity.DefaultAzureCredentialBuilder
import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator

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
        @JvmStatic
        fun open(): SampleEnvironment {
            val url = System.getenv("DATAVERSE_URL")?.takeIf { it.isNotBlank() }
            if (url == null) {
                val emulator = DataverseEmulator.start()
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
    }
}

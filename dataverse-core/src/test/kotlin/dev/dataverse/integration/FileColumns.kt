package dev.dataverse.integration

import dev.dataverse.emulator.DataverseEmulator
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/** File and image columns added to `account` through the emulator's metadata API, for the file integration specs. */
object FileColumns {
    /** A file column that takes 64 MB. */
    const val DOCUMENT: String = "new_document"

    /** A file column that takes 64 KB. */
    const val SMALL: String = "new_small"

    /** An image column that takes 1 MB. */
    const val PICTURE: String = "new_picture"

    fun addTo(emulator: DataverseEmulator) {
        add(emulator, "FileAttributeMetadata", "new_Document", 65_536)
        add(emulator, "FileAttributeMetadata", "new_Small", 64)
        add(emulator, "ImageAttributeMetadata", "new_Picture", 1024)
    }

    private fun add(emulator: DataverseEmulator, type: String, schemaName: String, maxKb: Int) {
        val body = """{"@odata.type":"Microsoft.Dynamics.CRM.$type","SchemaName":"$schemaName","MaxSizeInKB":$maxKb,
            "DisplayName":{"LocalizedLabels":[{"Label":"$schemaName","LanguageCode":1033}]},"RequiredLevel":{"Value":"None"}}"""
        val request = HttpRequest.newBuilder(URI.create("${emulator.apiUrl}/EntityDefinitions(LogicalName='account')/Attributes"))
            .header("Authorization", "Bearer test-token")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 204) { "Adding $schemaName failed: ${response.statusCode()} ${response.body()}" }
    }
}

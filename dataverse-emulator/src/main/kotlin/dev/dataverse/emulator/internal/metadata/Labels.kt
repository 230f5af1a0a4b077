package dev.dataverse.emulator.internal.metadata

import dev.dataverse.emulator.internal.model.StableIds
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** The `Label` complex type: localized labels (English, 1033) plus the label in the user's language. */
internal object Labels {
    private const val ENGLISH = 1033

    /** A label with the single English text [text]; [owner] makes its metadata id stable. */
    fun of(text: String, owner: String): JsonObject {
        val localized = buildJsonObject {
            put("Label", text)
            put("LanguageCode", ENGLISH)
            put("IsManaged", true)
            put("MetadataId", StableIds.of("label", owner, text).toString())
            put("HasChanged", JsonNull)
        }
        return buildJsonObject {
            put("LocalizedLabels", JsonArray(listOf(localized)))
            put("UserLocalizedLabel", localized)
        }
    }

    /** A label without text (descriptions the emulator does not carry). */
    fun empty(): JsonObject = buildJsonObject {
        put("LocalizedLabels", JsonArray(emptyList()))
        put("UserLocalizedLabel", JsonNull)
    }
}

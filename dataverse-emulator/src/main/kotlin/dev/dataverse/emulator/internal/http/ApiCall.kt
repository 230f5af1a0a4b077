package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.odata.Preferences
import dev.dataverse.emulator.internal.odata.RequestTarget
import dev.dataverse.emulator.internal.records.WriteCondition

/** A request being handled: the request, its parsed target and preferences, and the shared context. */
internal class ApiCall(
    val request: ApiRequest,
    val target: RequestTarget,
    val context: EmulatorContext,
) {
    val preferences: Preferences = Preferences.parse(request.headers("Prefer"))

    val method: String get() = request.method

    /** The conditional-header semantics of this write. */
    val writeCondition: WriteCondition get() = WriteCondition.of(request.header("If-Match"), request.header("If-None-Match"))

    /**
     * The `Preference-Applied` header for the preferences this response honours: [honoured] (such as
     * `return=representation`) plus the include-annotations preference when the client sent one.
     */
    fun preferenceApplied(vararg honoured: String?): List<Pair<String, String>> {
        val annotations = preferences.includeAnnotations?.let { "odata.include-annotations=\"$it\"" }
        val values = honoured.filterNotNull() + listOfNotNull(annotations)
        return if (values.isEmpty()) emptyList() else listOf(PREFERENCE_APPLIED to values.joinToString(","))
    }

    companion object {
        const val PREFERENCE_APPLIED: String = "Preference-Applied"
    }
}

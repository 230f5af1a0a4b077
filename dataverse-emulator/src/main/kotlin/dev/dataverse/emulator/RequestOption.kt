package dev.dataverse.emulator

/** The request options the emulator counts in [EmulatorStats.requestsWith], by the header or query option that carries them. */
public enum class RequestOption(
    /** The header (or, for [TAG], the query option) that carries the option. */
    public val wireName: String,
) {
    /** `CallerObjectId`: impersonation by Microsoft Entra object id. */
    CALLER_OBJECT_ID("CallerObjectId"),

    /** `MSCRMCallerID`: impersonation by `systemuserid`. */
    CALLER_ID("MSCRMCallerID"),

    /** `MSCRM.BypassBusinessLogicExecution` (e.g. `CustomSync,CustomAsync`). */
    BYPASS_BUSINESS_LOGIC("MSCRM.BypassBusinessLogicExecution"),

    /** `MSCRM.BypassCustomPluginExecution: true`. */
    BYPASS_CUSTOM_PLUGINS("MSCRM.BypassCustomPluginExecution"),

    /** `MSCRM.SuppressDuplicateDetection: false`: duplicate detection on. */
    DUPLICATE_DETECTION("MSCRM.SuppressDuplicateDetection"),

    /** `MSCRM.SolutionUniqueName`. */
    SOLUTION("MSCRM.SolutionUniqueName"),

    /** The `tag` query option (a shared variable for plug-ins). */
    TAG("tag"),
}

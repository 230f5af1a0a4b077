package dev.dataverse.emulator;

/**
 * The request options the emulator counts in {@link EmulatorStats#requestsWith}, by the header or query option that carries them.
 */
public enum RequestOption {
    /** {@code CallerObjectId}: impersonation by Microsoft Entra object id. */
    CALLER_OBJECT_ID("CallerObjectId"),

    /** {@code MSCRMCallerID}: impersonation by {@code systemuserid}. */
    CALLER_ID("MSCRMCallerID"),

    /** {@code MSCRM.BypassBusinessLogicExecution} (e.g. {@code CustomSync,CustomAsync}). */
    BYPASS_BUSINESS_LOGIC("MSCRM.BypassBusinessLogicExecution"),

    /** {@code MSCRM.BypassCustomPluginExecution: true}. */
    BYPASS_CUSTOM_PLUGINS("MSCRM.BypassCustomPluginExecution"),

    /** {@code MSCRM.SuppressDuplicateDetection: false}: duplicate detection on. */
    DUPLICATE_DETECTION("MSCRM.SuppressDuplicateDetection"),

    /** {@code MSCRM.SolutionUniqueName}. */
    SOLUTION("MSCRM.SolutionUniqueName"),

    /** The {@code tag} query option (a shared variable for plug-ins). */
    TAG("tag");

    // Not named like its getter: API docs would show a field and its getter as one public property.
    private final String wire;

    RequestOption(String wire) {
        this.wire = wire;
    }

    /** The header (or, for {@link #TAG}, the query option) that carries the option. */
    public String getWireName() {
        return wire;
    }
}

package dev.dataverse;

/** Custom logic the service can skip for a write ({@link RequestOptions#bypassBusinessLogic}). */
public enum BypassLogic {
    /** Synchronous plug-ins and real-time workflows. */
    CUSTOM_SYNC("CustomSync"),

    /** Asynchronous plug-ins and workflows. */
    CUSTOM_ASYNC("CustomAsync");

    // Not named like its getter: API docs would show a field and its getter as one public property.
    private final String header;

    BypassLogic(String header) {
        this.header = header;
    }

    /** The value sent in {@code MSCRM.BypassBusinessLogicExecution}. */
    public String getHeaderValue() {
        return header;
    }
}

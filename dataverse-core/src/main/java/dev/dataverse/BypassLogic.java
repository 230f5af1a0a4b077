package dev.dataverse;

/** Custom logic the service can skip for a write ({@link RequestOptions#bypassBusinessLogic}). */
public enum BypassLogic {
    /** Synchronous plug-ins and real-time workflows. */
    CUSTOM_SYNC("CustomSync"),

    /** Asynchronous plug-ins and workflows. */
    CUSTOM_ASYNC("CustomAsync");

    private final String headerValue;

    BypassLogic(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The value sent in {@code MSCRM.BypassBusinessLogicExecution}. */
    public String getHeaderValue() {
        return headerValue;
    }
}

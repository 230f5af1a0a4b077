package dev.dataverse;

/** Whether a value is required ({@code RequiredLevel}). */
public enum RequiredLevel {
    /** Optional. */
    NONE,

    /** Recommended: apps highlight it, the service does not enforce it. */
    RECOMMENDED,

    /** Required by apps ({@code ApplicationRequired}). */
    REQUIRED,

    /** Required by the platform ({@code SystemRequired}). Read only. */
    SYSTEM_REQUIRED;
}

package dev.dataverse.model

/**
 * An option of a choice column, implemented by the enums that `dataverse-codegen` generates: the integer the service
 * stores for it. Kotlin reads it as `AccountState.ACTIVE.value`, Java as `AccountState.ACTIVE.getValue()`.
 */
public interface ChoiceValue {
    /** The option's value as the service stores and filters it, e.g. `0` for an account's Active state. */
    public val value: Int
}

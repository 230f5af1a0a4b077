package dev.dataverse.emulator;

/** What a custom API is bound to (the {@code BindingType} choice of a custom API). */
public enum CustomApiBindingType {
    /** Unbound: <code>/{uniqueName}</code>. */
    GLOBAL,

    /** Bound to a record: <code>/{set}({id})/Microsoft.Dynamics.CRM.{uniqueName}</code>. */
    ENTITY,

    /** Bound to a table's entity set: <code>/{set}/Microsoft.Dynamics.CRM.{uniqueName}</code>. */
    ENTITY_COLLECTION;
}

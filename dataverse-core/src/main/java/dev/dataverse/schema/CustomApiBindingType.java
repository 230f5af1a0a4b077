package dev.dataverse.schema;

/**
 * What a custom API is bound to ({@code BindingType} of the {@code customapi} table, Learn "Custom API tables":
 * 0 Global, 1 Entity, 2 EntityCollection), as {@code bindingType} in a schema snapshot.
 */
public enum CustomApiBindingType {
    /** Not bound: called at the service root, {@code /api/data/v9.2/new_Ping}. Choice value 0. */
    GLOBAL("Global", 0),
    /** Bound to one record of {@link CustomApiSchema#getBoundTable()}. Choice value 1. */
    ENTITY("Entity", 1),
    /** Bound to the entity set of {@link CustomApiSchema#getBoundTable()}. Choice value 2. */
    ENTITY_COLLECTION("EntityCollection", 2);

    private final String formatName;
    private final int value;

    CustomApiBindingType(String formatName, int value) {
        this.formatName = formatName;
        this.value = value;
    }

    /** The name the snapshot file uses, e.g. {@code Global}. */
    public String formatName() {
        return formatName;
    }

    /** The option value of the {@code customapi.bindingtype} column. */
    public int value() {
        return value;
    }
}

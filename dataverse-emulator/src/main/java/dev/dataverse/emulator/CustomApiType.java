package dev.dataverse.emulator;

/**
 * The type of a custom API request parameter or response property (the {@code Type} choice of {@code customapirequestparameter}),
 * and the Java type the handler sees for it.
 */
public enum CustomApiType {
    /** {@code Boolean}. */
    BOOLEAN,

    /** {@code java.time.Instant}. */
    DATE_TIME,

    /** {@code java.math.BigDecimal}. */
    DECIMAL,

    /** A record as a {@code Map<String, Any?>} of its columns (with its {@code @odata.type}). */
    ENTITY,

    /** A {@code List} of records as maps. */
    ENTITY_COLLECTION,

    /** A {@link CustomApiReference}. */
    ENTITY_REFERENCE,

    /** {@code Double}. */
    FLOAT,

    /** {@code Int}. */
    INTEGER,

    /** {@code java.math.BigDecimal}. */
    MONEY,

    /** {@code Int}, the option's value. */
    PICKLIST,

    /** {@code String}. */
    STRING,

    /** {@code List<String>}. */
    STRING_ARRAY,

    /** {@code java.util.UUID}. */
    GUID;
}

package dev.dataverse.schema;

/**
 * The kind of a relationship as seen from the table that lists it in a schema snapshot ({@code kind} in the file).
 * The same one-to-many relationship is {@link #ONE_TO_MANY} on its referenced ("one") table and {@link #MANY_TO_ONE}
 * on its referencing ("many") table.
 */
public enum RelationshipKind {
    /** This table is the referenced ("one") side: {@code OneToMany} in the file. */
    ONE_TO_MANY("OneToMany"),
    /** This table is the referencing ("many") side and holds the lookup column: {@code ManyToOne} in the file. */
    MANY_TO_ONE("ManyToOne"),
    /** A many-to-many relationship through an intersect table: {@code ManyToMany} in the file. */
    MANY_TO_MANY("ManyToMany");

    private final String formatName;

    RelationshipKind(String formatName) {
        this.formatName = formatName;
    }

    /** The name the snapshot file uses for this kind, e.g. {@code OneToMany}. */
    public String formatName() {
        return formatName;
    }
}

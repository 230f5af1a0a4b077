package dev.dataverse;

/** The kind of a relationship. */
public enum RelationshipType {
    /** One-to-many, seen from either side. */
    ONE_TO_MANY,

    /** Many-to-many. */
    MANY_TO_MANY;
}

package dev.dataverse;

/** Who owns the records of a table ({@code OwnershipType}). */
public enum TableOwnership {
    /** Records belong to a user or team, and security roles can limit access per owner. */
    USER_OWNED,

    /** Records belong to the organization. */
    ORGANIZATION_OWNED;
}

package dev.dataverse

import java.util.UUID

/** The identity the client is acting as, from the `WhoAmI` function. Useful as a cheap connectivity check. */
public class WhoAmI(
    /** The `systemuser` id of the caller. */
    public val userId: UUID,
    /** The caller's business unit. */
    public val businessUnitId: UUID,
    /** The organization (environment). */
    public val organizationId: UUID,
) {
    override fun equals(other: Any?): Boolean = other is WhoAmI && other.userId == userId &&
        other.businessUnitId == businessUnitId && other.organizationId == organizationId

    override fun hashCode(): Int = userId.hashCode()

    override fun toString(): String =
        "WhoAmI(userId=$userId, businessUnitId=$businessUnitId, organizationId=$organizationId)"
}

package dev.dataverse.emulator.internal.records

import java.util.UUID

/** Whom a request acts as: [userId], and [realUserId], the authenticated caller, who differs when impersonating. */
internal data class Caller(val userId: UUID, val realUserId: UUID)

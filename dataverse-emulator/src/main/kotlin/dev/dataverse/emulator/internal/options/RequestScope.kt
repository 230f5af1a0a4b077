package dev.dataverse.emulator.internal.options

import dev.dataverse.emulator.internal.records.Caller

/**
 * What the headers of the request being handled ask of the writes it makes: whom to act as, and whether duplicate
 * detection runs (`MSCRM.SuppressDuplicateDetection: false`).
 */
internal class RequestScope(val caller: Caller, val duplicateDetection: Boolean)

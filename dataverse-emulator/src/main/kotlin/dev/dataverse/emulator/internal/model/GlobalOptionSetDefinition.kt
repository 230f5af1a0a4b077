package dev.dataverse.emulator.internal.model

import java.util.UUID

/**
 * A global choice (`GlobalOptionSetDefinitions`): an option set that choice columns of any table share (Learn: "Work
 * with choice columns using the Web API", global choices). A column created with `GlobalOptionSet@odata.bind` copies
 * its options and remembers its [name].
 */
internal data class GlobalOptionSetDefinition(
    val name: String,
    val metadataId: UUID,
    val displayName: String,
    val description: String?,
    val options: List<OptionDefinition>,
)

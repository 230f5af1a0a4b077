package dev.dataverse.emulator

import java.nio.file.Path

/**
 * The schema snapshot given to the emulator ([EmulatorOptions.schema], `--schema FILE`) could not be read or used: it
 * is not JSON, a required property is missing or has the wrong type, its `formatVersion` is newer than the emulator
 * reads, or it describes something the emulator cannot create (a custom API named like a standard message). Thrown by
 * [DataverseEmulator.start] before the emulator listens; the message names the [file] and the [jsonPath].
 */
public class EmulatorSchemaException(
    message: String,
    /** The snapshot file. */
    public val file: Path,
    /** Where in the file the problem is (`tables[2].columns[0].attributeType`); `null` for the whole file. */
    public val jsonPath: String?,
    cause: Throwable? = null,
) : IllegalArgumentException(message, cause)

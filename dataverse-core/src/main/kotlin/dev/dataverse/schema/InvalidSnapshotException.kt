package dev.dataverse.schema

import dev.dataverse.DataverseException
import java.nio.file.Path

/**
 * A schema snapshot file or text could not be read: it is not JSON, a required property is missing or has the wrong
 * type, a name is repeated, or its `formatVersion` is newer than this library knows ([SchemaSnapshot.FORMAT_VERSION]).
 *
 * Raised by [SchemaSnapshot.read] and [SchemaSnapshot.parse] before anything is sent anywhere, so [statusCode] is 0.
 * The message names the file (when read from one) and the JSON path of the offending value, e.g.
 * `tables[3].columns[7].logicalName`, so the fix can be made in the file by hand.
 */
public class InvalidSnapshotException @JvmOverloads constructor(
    message: String,
    /** Where in the document the problem is (`tables[0].columns[2].attributeType`); `null` when it is the whole document. */
    public val jsonPath: String?,
    /** The file that was read; `null` when the snapshot came from [SchemaSnapshot.parse]. */
    public val file: Path? = null,
    cause: Throwable? = null,
) : DataverseException(message, cause)

package dev.dataverse.schema

import dev.dataverse.internal.schema.SnapshotParser
import dev.dataverse.internal.schema.toJson
import dev.dataverse.internal.schema.toTree
import dev.dataverse.internal.schema.SnapshotNode
import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.internal.schema.SnapshotJson
import dev.dataverse.internal.schema.SchemaDiffs
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import java.io.IOException
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction
import java.nio.file.Files
import java.nio.file.Path

/**
 * A schema snapshot: chosen tables and custom APIs of a Dataverse environment, written to one UTF-8 JSON file that
 * code generators read, the emulator loads (`--schema FILE`), and the drift check compares with an environment.
 *
 * ## Format
 * The file format is documented in the README ("Schema snapshots"). The writer is deterministic so that snapshots diff
 * well in version control: 2-space indentation, one property per line, `\n` line ends, a final newline, no timestamps;
 * tables, columns, keys, lookup targets, custom APIs and parameters sorted by name (ordinal order), choice options by
 * value, properties in a fixed order, absent values left out. Equal snapshots are written byte for byte the same.
 *
 * ## Compatibility
 * A reader ignores properties it does not know, so a newer writer may add some without a new [formatVersion]. A file
 * whose `formatVersion` is greater than [FORMAT_VERSION] is refused with [InvalidSnapshotException].
 *
 * Kotlin: `val snapshot = SchemaSnapshot.read(Path.of("dataverse-schema.json")); snapshot.table("account")`.
 * Java: `SchemaSnapshot snapshot = SchemaSnapshot.read(Path.of("dataverse-schema.json"));`.
 */
public class SchemaSnapshot @JvmOverloads constructor(
    tables: List<TableSchema>,
    customApis: List<CustomApiSchema> = emptyList(),
    /** A free-text label of where the snapshot came from, e.g. `contoso-dev`; `null` to leave it out of the file. */
    public val source: String? = null,
) {
    /** The version of the file format this snapshot is written in: always [FORMAT_VERSION]. */
    public val formatVersion: Int get() = FORMAT_VERSION

    /** The tables, ordered by logical name. */
    public val tables: List<TableSchema> = SchemaChecks.sortedUnique(tables, "tables") { it.logicalName }

    /** The custom APIs, ordered by unique name. */
    public val customApis: List<CustomApiSchema> = SchemaChecks.sortedUnique(customApis, "custom APIs") { it.uniqueName }

    init {
        SchemaChecks.optional(source, "source")
    }

    /** The table named [logicalName] (compared ignoring case, as the service does), or `null`. */
    public fun table(logicalName: String): TableSchema? = tables.firstOrNull { it.logicalName.equals(logicalName, ignoreCase = true) }

    /** The custom API named [uniqueName] (compared ignoring case), or `null`. */
    public fun customApi(uniqueName: String): CustomApiSchema? = customApis.firstOrNull { it.uniqueName.equals(uniqueName, ignoreCase = true) }

    /** The snapshot as the file's text: deterministic, see the class description. */
    public fun toJson(): String = SnapshotJson.print(toTree())

    /**
     * Writes [toJson] to [file] in UTF-8, replacing it. The text is written to a temporary file next to it first and
     * moved into place, so a reader never sees half a snapshot.
     *
     * @throws java.io.UncheckedIOException when the file cannot be written.
     */
    public fun write(file: Path) {
        val bytes = toJson().toByteArray(Charsets.UTF_8)
        try {
            val target = file.toAbsolutePath()
            val temporary = Files.createTempFile(target.parent, ".${target.fileName}", ".tmp")
            try {
                Files.write(temporary, bytes)
                try {
                    Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE)
                } catch (_: java.nio.file.AtomicMoveNotSupportedException) {
                    Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
                }
            } finally {
                Files.deleteIfExists(temporary)
            }
        } catch (e: IOException) {
            throw java.io.UncheckedIOException("Cannot write the schema snapshot to '$file': ${e.message}", e)
        }
    }

    /**
     * The differences between this snapshot (what is expected) and [actual] (typically exported from the environment
     * now); see [SchemaDriftReport] for what is compared. Pure: nothing is sent. `client.tables.checkSnapshot` reads the
     * environment and calls this.
     */
    public fun diff(actual: SchemaSnapshot): SchemaDriftReport = SchemaDiffs.compare(this, actual)

    /** A copy with [source] as its label (`null` to leave it out). */
    public fun withSource(source: String?): SchemaSnapshot = SchemaSnapshot(tables, customApis, source)

    override fun equals(other: Any?): Boolean = other is SchemaSnapshot && other.toTree() == toTree()

    override fun hashCode(): Int = tables.hashCode() * 31 + customApis.hashCode()

    override fun toString(): String = "SchemaSnapshot(${tables.size} tables, ${customApis.size} custom APIs, source=$source)"

    public companion object {
        /** The newest file format version this library reads and the one it writes. */
        public const val FORMAT_VERSION: Int = 1

        private val JSON = Json { isLenient = false }

        /**
         * Reads a snapshot file (UTF-8).
         *
         * @throws InvalidSnapshotException when the file is not a valid snapshot (the message names the file and the JSON
         *   path) or its format version is newer than [FORMAT_VERSION].
         * @throws java.io.UncheckedIOException when the file cannot be read.
         */
        @JvmStatic
        public fun read(file: Path): SchemaSnapshot {
            val bytes = try {
                Files.readAllBytes(file)
            } catch (e: IOException) {
                throw java.io.UncheckedIOException("Cannot read the schema snapshot '$file': ${e.message}", e)
            }
            val text = try {
                Charsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString()
            } catch (e: CharacterCodingException) {
                throw InvalidSnapshotException("Invalid schema snapshot '$file': the file is not UTF-8 text.", null, file, e)
            }
            return parse(text, file)
        }

        /**
         * Reads a snapshot from its JSON text.
         *
         * @throws InvalidSnapshotException when the text is not a valid snapshot or its format version is newer than
         *   [FORMAT_VERSION]; the message names the JSON path.
         */
        @JvmStatic
        public fun parse(json: String): SchemaSnapshot = parse(json, null)

        private fun parse(json: String, file: Path?): SchemaSnapshot {
            val where = file?.let { " '$it'" } ?: ""
            val element = try {
                JSON.parseToJsonElement(json.removePrefix("\uFEFF"))
            } catch (e: SerializationException) {
                throw InvalidSnapshotException("Invalid schema snapshot$where: not JSON (${e.message?.lineSequence()?.firstOrNull()}).", null, file, e)
            }
            val root = element as? JsonObject
                ?: throw InvalidSnapshotException("Invalid schema snapshot$where: the document must be a JSON object.", null, file)
            val node = SnapshotNode(root, "", file)
            val version = node.int("formatVersion")
            if (version < 1) node.fail("formatVersion", "$version is not a format version.")
            if (version > FORMAT_VERSION) {
                node.fail("formatVersion", "format version $version is newer than this library reads ($FORMAT_VERSION); update the library.")
            }
            val tables = node.objects("tables").map { SnapshotParser.tableSchema(it) }
            val apis = node.objects("customApis").map { SnapshotParser.customApiSchema(it) }
            return node.build { SchemaSnapshot(tables, apis, node.stringOrNull("source")) }
        }
    }
}

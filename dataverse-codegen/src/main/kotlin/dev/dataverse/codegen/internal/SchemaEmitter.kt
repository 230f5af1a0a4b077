package dev.dataverse.codegen.internal

import dev.dataverse.codegen.GeneratedFile
import dev.dataverse.schema.SchemaSnapshot

/**
 * The package's schema entry point, `DataverseModels`: the snapshot the sources were generated from, embedded as text,
 * and the drift check against it (`verify`, `check`), so that an application can fail fast at start-up when the
 * environment no longer has what its models rely on.
 *
 * The snapshot is embedded as string literals appended at run time, not as one constant: a class file's constant
 * holds at most 65535 bytes (JVMS 4.4.7), and javac and kotlinc fold concatenated literals into one constant.
 */
internal class SchemaEmitter(private val packageName: String, private val header: String) {
    /** The file, named `DataverseModels` unless a generated type in [taken] has that name (then `DataverseModels_2`, ...). */
    fun emit(snapshot: SchemaSnapshot, kotlin: Boolean, taken: Set<String>): GeneratedFile {
        val name = Names.unique(listOf(TYPE_NAME), taken).single()
        val json = snapshot.toJson()
        val path = packageName.replace('.', '/') + "/$name." + if (kotlin) "kt" else "java"
        return GeneratedFile(path, if (kotlin) kotlin(name, snapshot, json) else java(name, snapshot, json))
    }

    private fun description(snapshot: SchemaSnapshot): String {
        val tables = snapshot.tables.joinToString { it.logicalName }.ifEmpty { "none" }
        val apis = snapshot.customApis.joinToString { it.uniqueName }.ifEmpty { "none" }
        return Names.comment("tables $tables; custom APIs $apis" + (snapshot.source?.let { "; source $it" } ?: ""))
    }

    private fun kotlin(name: String, snapshot: SchemaSnapshot, json: String): String = buildString {
        append(header)
        append("@file:Suppress(\"RedundantVisibilityModifier\", \"unused\")\n\n")
        append("package $packageName\n\n")
        append("import dev.dataverse.DataverseClient\nimport dev.dataverse.schema.SchemaDriftReport\nimport dev.dataverse.schema.SchemaSnapshot\n\n")
        append("/**\n * The schema snapshot this package's models were generated from, and the drift check against it.\n *\n")
        append(" * Snapshot: ${description(snapshot)}.\n *\n")
        append(" * The models are only as true as that snapshot. Call [verify] once when the application starts, so that a schema\n")
        append(" * changed under them (a column removed or retyped, a choice value gone) fails fast naming every difference, rather\n")
        append(" * than later on the first read. It sends the requests of `client.tables.checkSnapshot`; nothing calls it by itself.\n */\n")
        append("public object $name {\n")
        append("    /** The logical names of the tables the snapshot holds, sorted. */\n")
        append("    @JvmField\n    public val TABLES: List<String> = listOf(${snapshot.tables.joinToString(", ") { Names.literal(it.logicalName, kotlin = true) }})\n\n")
        append("    /** The unique names of the custom APIs the snapshot holds, sorted. */\n")
        append("    @JvmField\n    public val CUSTOM_APIS: List<String> = listOf(${snapshot.customApis.joinToString(", ") { Names.literal(it.uniqueName, kotlin = true) }})\n\n")
        append("    /** The snapshot the models were generated from, read from the text embedded here on first use. */\n")
        append("    @JvmStatic\n    public val snapshot: SchemaSnapshot by lazy { SchemaSnapshot.parse(json()) }\n\n")
        append("    /**\n     * Checks the environment of [client] against [snapshot]; see `Tables.requireSnapshot`.\n     *\n")
        append("     * @throws dev.dataverse.schema.SchemaDriftException when the environment differs, naming every difference.\n     */\n")
        append("    public suspend fun verify(client: DataverseClient): Unit = client.tables.requireSnapshot(snapshot)\n\n")
        append("    /** The differences between the environment of [client] and [snapshot], empty when none; see `Tables.checkSnapshot`. */\n")
        append("    public suspend fun check(client: DataverseClient): SchemaDriftReport = client.tables.checkSnapshot(snapshot)\n\n")
        append("    private fun json(): String {\n        val text = StringBuilder(${json.length})\n")
        for (chunk in chunks(json)) append("        text.append(").append(Names.literal(chunk, kotlin = true)).append(")\n")
        append("        return text.toString()\n    }\n}\n")
    }

    private fun java(name: String, snapshot: SchemaSnapshot, json: String): String = buildString {
        append(header)
        append("package $packageName;\n\n")
        listOf(
            "dev.dataverse.java.DataverseAsyncClient", "dev.dataverse.java.DataverseBlockingClient", "dev.dataverse.schema.SchemaDriftReport",
            "dev.dataverse.schema.SchemaSnapshot", "java.util.Arrays", "java.util.Collections", "java.util.List",
            "java.util.concurrent.CompletableFuture",
        ).forEach { append("import $it;\n") }
        append("\n/**\n * The schema snapshot this package's models were generated from, and the drift check against it.\n *\n")
        append(" * <p>Snapshot: ${description(snapshot)}.\n *\n")
        append(" * <p>The models are only as true as that snapshot. Call {@link #verify(DataverseBlockingClient)} once when the\n")
        append(" * application starts, so that a schema changed under them (a column removed or retyped, a choice value gone) fails\n")
        append(" * fast naming every difference, rather than later on the first read. It sends the requests of\n")
        append(" * {@code client.tables().checkSnapshot}; nothing calls it by itself.\n */\n")
        append("public final class $name {\n")
        append("    /** The logical names of the tables the snapshot holds, sorted. */\n")
        append("    public static final List<String> TABLES = Collections.unmodifiableList(Arrays.<String>asList(${snapshot.tables.joinToString(", ") { Names.literal(it.logicalName, kotlin = false) }}));\n\n")
        append("    /** The unique names of the custom APIs the snapshot holds, sorted. */\n")
        append("    public static final List<String> CUSTOM_APIS = Collections.unmodifiableList(Arrays.<String>asList(${snapshot.customApis.joinToString(", ") { Names.literal(it.uniqueName, kotlin = false) }}));\n\n")
        append("    private $name() {\n    }\n\n")
        append("    /**\n     * The snapshot the models were generated from, read from the text embedded here on first use.\n     *\n")
        append("     * @return the snapshot\n     */\n")
        append("    public static SchemaSnapshot snapshot() {\n        return Holder.SNAPSHOT;\n    }\n\n")
        append("    /**\n     * Checks the environment of {@code client} against {@link #snapshot()}; see {@code BlockingTables.requireSnapshot}.\n     *\n")
        append("     * @param client the client of the environment\n")
        append("     * @throws dev.dataverse.schema.SchemaDriftException when the environment differs, naming every difference\n     */\n")
        append("    public static void verify(DataverseBlockingClient client) {\n        client.tables().requireSnapshot(snapshot());\n    }\n\n")
        append("    /**\n     * Checks the environment of {@code client} against {@link #snapshot()}; see {@code AsyncTables.requireSnapshot}.\n     *\n")
        append("     * @param client the client of the environment\n")
        append("     * @return completes when the environment matches; fails with {@link dev.dataverse.schema.SchemaDriftException}\n")
        append("     *     naming every difference otherwise\n     */\n")
        append("    public static CompletableFuture<Void> verify(DataverseAsyncClient client) {\n        return client.tables().requireSnapshot(snapshot());\n    }\n\n")
        append("    /**\n     * The differences between the environment of {@code client} and {@link #snapshot()}; see\n     * {@code BlockingTables.checkSnapshot}.\n     *\n")
        append("     * @param client the client of the environment\n     * @return the differences, empty when there are none\n     */\n")
        append("    public static SchemaDriftReport check(DataverseBlockingClient client) {\n        return client.tables().checkSnapshot(snapshot());\n    }\n\n")
        append("    /**\n     * The differences between the environment of {@code client} and {@link #snapshot()}; see\n     * {@code AsyncTables.checkSnapshot}.\n     *\n")
        append("     * @param client the client of the environment\n     * @return the differences, empty when there are none\n     */\n")
        append("    public static CompletableFuture<SchemaDriftReport> check(DataverseAsyncClient client) {\n        return client.tables().checkSnapshot(snapshot());\n    }\n\n")
        append("    private static final class Holder {\n        static final SchemaSnapshot SNAPSHOT = SchemaSnapshot.parse(json());\n    }\n\n")
        append("    private static String json() {\n        StringBuilder text = new StringBuilder(${json.length});\n")
        for (chunk in chunks(json)) append("        text.append(").append(Names.literal(chunk, kotlin = false)).append(");\n")
        append("        return text.toString();\n    }\n}\n")
    }

    /** The text in pieces of whole lines (a longer line alone, cut) of at most [CHUNK] characters: each a small constant. */
    private fun chunks(text: String): List<String> {
        val chunks = mutableListOf<String>()
        val current = StringBuilder()
        for (line in text.split('\n').dropLast(1).map { "$it\n" }) {
            if (current.isNotEmpty() && current.length + line.length > CHUNK) {
                chunks += current.toString()
                current.setLength(0)
            }
            if (line.length > CHUNK) line.chunked(CHUNK).forEach { chunks += it } else current.append(line)
        }
        if (current.isNotEmpty()) chunks += current.toString()
        return chunks
    }

    companion object {
        const val TYPE_NAME = "DataverseModels"

        // 4000 characters take at most 12000 bytes in a class file's modified UTF-8: well under a constant's 65535, and one
        // statement per piece keeps the method's bytecode small (about 10 bytes each) even for snapshots of megabytes.
        private const val CHUNK = 4000
    }
}

@file:JvmName("Cli")

package dev.dataverse.codegen

import dev.dataverse.schema.InvalidSnapshotException
import dev.dataverse.schema.SchemaSnapshot
import java.io.IOException
import java.io.PrintStream
import java.io.UncheckedIOException
import java.nio.file.Path
import kotlin.system.exitProcess

private const val USAGE = """Usage: java -jar dataverse-codegen-<version>-cli.jar generate --snapshot FILE --out DIR --language kotlin|java --package P

  generate   Writes typed models for the tables, choices and custom APIs of a schema snapshot under DIR.
"""

/**
 * The command line: `generate --snapshot FILE --out DIR --language kotlin|java --package P`. Exit status 0, 1 (failed)
 * or 2 (usage). On success it returns instead of exiting, so that it can run inside another JVM (Maven's `exec:java`).
 */
public fun main(args: Array<String>) {
    val status = run(args, System.out, System.err)
    if (status != 0) exitProcess(status)
}

/** Runs the command line with [args], printing to [out] and [err]; returns the exit status. */
@JvmSynthetic
internal fun run(args: Array<String>, out: PrintStream, err: PrintStream): Int {
    if (args.isEmpty() || args[0] in setOf("-h", "--help", "help")) {
        (if (args.isEmpty()) err else out).print(USAGE)
        return if (args.isEmpty()) 2 else 0
    }
    if (args[0] != "generate") return usage(err, "Unknown command '${args[0]}'.")
    val options = HashMap<String, String>()
    var i = 1
    while (i < args.size) {
        val name = args[i]
        if (name !in setOf("--snapshot", "--out", "--language", "--package")) return usage(err, "Unknown option '$name'.")
        if (i + 1 >= args.size) return usage(err, "Option '$name' needs a value.")
        options[name] = args[i + 1]
        i += 2
    }
    val missing = listOf("--snapshot", "--out", "--package").filter { it !in options }
    if (missing.isNotEmpty()) return usage(err, "Missing ${missing.joinToString()}.")
    return try {
        val generator = CodeGenerator.builder()
            .language(Language.of(options["--language"] ?: "kotlin"))
            .packageName(options.getValue("--package"))
            .build()
        val files = generator.generate(SchemaSnapshot.read(Path.of(options.getValue("--snapshot"))), Path.of(options.getValue("--out")))
        out.println("Wrote ${files.size} files under ${options.getValue("--out")}.")
        0
    } catch (e: CodegenException) {
        err.println("error: ${e.message}")
        1
    } catch (e: InvalidSnapshotException) {
        err.println("error: ${e.message}")
        1
    } catch (e: UncheckedIOException) {
        err.println("error: ${e.message}")
        1
    } catch (e: IOException) {
        err.println("error: cannot read the snapshot: $e")
        1
    }
}

private fun usage(err: PrintStream, message: String): Int {
    err.println("error: $message")
    err.print(USAGE)
    return 2
}

@file:JvmName("Cli")

package dev.dataverse.codegen

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.codegen.internal.AzureCredentials
import dev.dataverse.codegen.internal.CliCommand
import dev.dataverse.codegen.internal.UsageException
import dev.dataverse.schema.InvalidSnapshotException
import dev.dataverse.schema.SchemaSnapshot
import kotlinx.coroutines.runBlocking
import java.io.IOException
import java.io.PrintStream
import java.io.UncheckedIOException
import java.nio.file.Files
import java.nio.file.InvalidPathException
import java.nio.file.Path
import kotlin.system.exitProcess

private const val USAGE = """Usage: java -jar dataverse-codegen-<version>-cli.jar COMMAND OPTIONS

  generate --snapshot FILE --out DIR [--language kotlin|java] --package P
      Writes typed models for the tables, choices and custom APIs of a schema snapshot under DIR.

  export --url https://ORG.crm.dynamics.com --tables a,b [--custom-apis x,y] [--source LABEL] --out FILE [--token-env NAME]
      Writes a schema snapshot of the named tables and custom APIs (at least one of the lists) to FILE. Signs in with
      azure-identity's DefaultAzureCredential, or sends the bearer token held by environment variable NAME.

Exit status: 0 done, 1 failed (the message says why; no file is written), 2 usage.
"""

/**
 * The command line: `generate` (typed models from a schema snapshot) and `export` (a schema snapshot from an
 * environment); see the usage text. Exit status 0, 1 (failed) or 2 (usage). On success it returns instead of exiting,
 * so that it can run inside another JVM (Maven's `exec:java`).
 */
public fun main(args: Array<String>) {
    val status = run(args, System.out, System.err, System::getenv)
    if (status != 0) exitProcess(status)
}

/** Runs the command line with [args], printing to [out] and [err] and reading environment variables with [env]. */
@JvmSynthetic
internal fun run(args: Array<String>, out: PrintStream, err: PrintStream, env: (String) -> String? = System::getenv): Int {
    if (args.isEmpty() || args[0] in setOf("-h", "--help", "help")) {
        (if (args.isEmpty()) err else out).print(USAGE)
        return if (args.isEmpty()) 2 else 0
    }
    return try {
        when (val command = CliCommand.parse(args.asList())) {
            is CliCommand.Generate -> generate(command, out)
            is CliCommand.Export -> export(command, out, env)
        }
    } catch (e: UsageException) {
        err.println("error: ${e.message}")
        err.print(USAGE)
        2
    } catch (e: CodegenException) {
        err.println("error: ${e.message}")
        1
    } catch (e: InvalidSnapshotException) {
        err.println("error: ${e.message}")
        1
    } catch (e: DataverseException) {
        err.println("error: ${e.message}")
        1
    } catch (e: UncheckedIOException) {
        err.println("error: ${e.message}")
        1
    } catch (e: IOException) {
        err.println("error: $e")
        1
    }
}

private fun generate(command: CliCommand.Generate, out: PrintStream): Int {
    val generator = CodeGenerator.builder()
        .language(Language.of(command.language))
        .packageName(command.packageName)
        .build()
    val files = generator.generate(SchemaSnapshot.read(path(command.snapshot, "--snapshot")), path(command.out, "--out"))
    out.println("Wrote ${files.size} files under ${command.out}.")
    return 0
}

/**
 * Everything the command line gives is checked before the first request (URL, names, the token's variable, the
 * output's directory); the snapshot is written only once it is complete, through [SchemaSnapshot.write]'s temporary file.
 */
private fun export(command: CliCommand.Export, out: PrintStream, env: (String) -> String?): Int {
    val target = path(command.out, "--out").toAbsolutePath()
    if (!Files.isDirectory(target.parent)) throw UsageException("--out: the directory '${target.parent}' does not exist.")
    if (Files.isDirectory(target)) throw UsageException("--out: '$target' is a directory; give the snapshot file's path.")
    val builder = DataverseClient.builder()
    try {
        builder.environmentUrl(command.url)
        if (command.tokenEnv != null) {
            val token = env(command.tokenEnv)?.trim()
            if (token.isNullOrEmpty()) throw UsageException("--token-env: the environment variable '${command.tokenEnv}' is not set or empty.")
            builder.token(token)
        } else {
            builder.credential(AzureCredentials.default())
        }
    } catch (e: InvalidInputException) {
        throw UsageException(e.message ?: e.toString())
    }
    val snapshot = builder.build().use { client ->
        runBlocking {
            try {
                client.tables.exportSnapshot(command.tables, command.customApis, command.source)
            } catch (e: InvalidInputException) {
                throw UsageException(e.message ?: e.toString())
            }
        }
    }
    snapshot.write(target)
    out.println("Wrote ${snapshot.tables.size} tables and ${snapshot.customApis.size} custom APIs to ${command.out}.")
    return 0
}

private fun path(value: String, option: String): Path = try {
    Path.of(value)
} catch (e: InvalidPathException) {
    throw UsageException("$option: '$value' is not a path (${e.reason}).")
}

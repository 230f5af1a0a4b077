package dev.dataverse.emulator

import java.io.IOException
import java.io.PrintStream
import java.util.concurrent.CountDownLatch
import kotlin.system.exitProcess

/**
 * Runs the emulator as a standalone process (`java -jar dataverse-emulator-<version>-standalone.jar --port 8080`),
 * for clients in other languages and for manual exploration with curl. When it is ready it prints its base URL
 * (`http://127.0.0.1:<port>`) as one line on standard output, then serves until the process is stopped.
 */
public object EmulatorMain {
    private const val EXIT_USAGE = 2
    private const val EXIT_START_FAILED = 1

    private val usage = """
        Usage: dataverse-emulator [--port N] [--token T] [--dop-hint N] [--help]
          --port N       TCP port on 127.0.0.1 (default 0: a free port)
          --token T      accept only this bearer token (default: any non-empty bearer token)
          --dop-hint N   value of the x-ms-dop-hint response header (default 4)
          --help         print this help and exit
        Prints the base URL (http://127.0.0.1:<port>) when ready; serves until stopped.
    """.trimIndent()

    /** Entry point; exits with 2 on bad options and 1 when the server cannot start. */
    @JvmStatic
    public fun main(args: Array<String>) {
        val exitCode = run(args, System.out, System.err) { emulator ->
            Runtime.getRuntime().addShutdownHook(Thread(emulator::close, "dataverse-emulator-shutdown"))
            CountDownLatch(1).await()
        }
        if (exitCode != 0) exitProcess(exitCode)
    }

    /** What the command line asks for. */
    internal sealed interface Command {
        data class Serve(val options: EmulatorOptions) : Command
        data object Help : Command
        data class Invalid(val message: String) : Command
    }

    /**
     * Parses [args], starts the emulator, prints its base URL on [out] and hands it to [serve], which returns
     * when the emulator should stop. Returns the process exit code.
     */
    internal fun run(args: Array<String>, out: PrintStream, err: PrintStream, serve: (DataverseEmulator) -> Unit): Int =
        when (val command = parse(args)) {
            is Command.Help -> {
                out.println(usage)
                0
            }
            is Command.Invalid -> {
                err.println("dataverse-emulator: ${command.message}")
                err.println(usage)
                EXIT_USAGE
            }
            is Command.Serve -> serve(command.options, out, err, serve)
        }

    private fun serve(options: EmulatorOptions, out: PrintStream, err: PrintStream, serve: (DataverseEmulator) -> Unit): Int {
        val emulator = try {
            DataverseEmulator.start(options)
        } catch (e: IOException) {
            err.println("dataverse-emulator: cannot listen on port ${options.port}: ${e.message}")
            return EXIT_START_FAILED
        }
        emulator.use {
            out.println(it.baseUrl)
            out.flush()
            serve(it)
        }
        return 0
    }

    /** Parses the command line: `--port N`, `--token T`, `--dop-hint N` (also as `--name=value`) and `--help`. */
    internal fun parse(args: Array<String>): Command {
        var builder = EmulatorOptions.builder()
        val queue = ArrayDeque(args.flatMap(::splitAssignment))
        while (queue.isNotEmpty()) {
            val option = queue.removeFirst()
            if (option == "--help" || option == "-h") return Command.Help
            if (option !in VALUE_OPTIONS) return Command.Invalid("unknown option '$option'")
            val value = queue.removeFirstOrNull() ?: return Command.Invalid("option $option needs a value")
            builder = when (option) {
                "--port" -> builder.port(value.toIntOrNull() ?: return Command.Invalid("--port needs a number, got '$value'"))
                "--dop-hint" -> builder.dopHint(value.toIntOrNull() ?: return Command.Invalid("--dop-hint needs a number, got '$value'"))
                else -> builder.requiredToken(value)
            }
        }
        return try {
            Command.Serve(builder.build())
        } catch (e: IllegalArgumentException) {
            Command.Invalid(e.message ?: "invalid options")
        }
    }

    /** `--port=8080` as `--port`, `8080`; other arguments unchanged. */
    private fun splitAssignment(argument: String): List<String> =
        if (argument.startsWith("--") && argument.contains('=')) listOf(argument.substringBefore('='), argument.substringAfter('=')) else listOf(argument)

    private val VALUE_OPTIONS = setOf("--port", "--token", "--dop-hint")
}

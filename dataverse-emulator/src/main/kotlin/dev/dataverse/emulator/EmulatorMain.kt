package dev.dataverse.emulator

import dev.dataverse.emulator.internal.MainCommand
import dev.dataverse.emulator.internal.tls.SelfSignedCertificate
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
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
        Usage: dataverse-emulator [options]
          --port N                  TCP port on 127.0.0.1 (default 0: a free port)
          --token T                 accept only this bearer token (default: any non-empty bearer token)
          --dop-hint N              value of the x-ms-dop-hint response header (default 4)
          --concurrency-limit N     concurrent requests before 429 (default 52; 0 = unlimited)
          --seed N                  seed of the fault dice, for reproducible faults (default: random)
          --fault KIND:P[:REGEX]    inject a fault of KIND with probability P (0..1) on paths matching REGEX
                                    (after the API root, e.g. accounts.*); repeatable, tried in order; a LATENCY
                                    fault waits 1000 ms. KIND is one of:
                                    ${FaultKind.entries.joinToString(", ")}
          --latency-ms N            delay every request not hit by a --fault by N milliseconds
          --synthetic-rows N        generate the read-only table dv_syntheticrows with N rows (default 0: none)
          --bulk-unsupported T,...  tables whose CreateMultiple/UpdateMultiple/UpsertMultiple answer "not supported"
          --key-activation-ms N     how long a new alternate key's index takes to become Active (default 1000)
          --change-retention-s N    seconds change tracking keeps changes; older delta tokens get 0x80044352
                                    (default 604800, 7 days)
          --max-body-bytes N        largest request body; larger ones get 413 0x8004418a (default 134217728, 128 MiB,
                                    or an eighth of the JVM's maximum heap when that is less)
          --admin-token T           bearer token the admin API requires (default: the --token, if any)
          --service-protection S    enforce the service-protection limits per user (bearer token): 6000 requests and
                                    20 minutes of execution time per 5-minute sliding window, 52 concurrent requests,
                                    429 with Retry-After; S is the time scale (1 = the service's; 10 = a 30 s window
                                    with a tenth of the requests and execution time, the same sustained rates)
          --request-timeout-ms N    longest an API request may take before it is answered 500 0x80044151 and its
                                    work stops (default 120000, the service's 2 minutes)
          --solution NAME,...       unmanaged solutions MSCRM.SolutionUniqueName may name besides Default; repeatable
          --schema FILE             create the tables, columns, keys, relationships and custom APIs of a schema
                                    snapshot file (README "Schema snapshots") at start
          --tls                     serve https with a self-signed certificate for 127.0.0.1 and localhost,
                                    generated at start (default: plain http)
          --cert-out FILE           with --tls, write that certificate as PEM to FILE before printing the URL
          --help                    print this help and exit
        Prints the base URL (http://127.0.0.1:<port>, https:// with --tls) when ready; serves until stopped.
        Admin API: GET|POST|DELETE /_emulator/faults, GET /_emulator/stats, POST /_emulator/reset,
        GET|PUT /_emulator/concurrency-limit, GET /_emulator/certificate (PEM, with --tls). It needs the admin token
        (or --token) when one is set, Host 127.0.0.1:<port>, no cross-site Origin, and Content-Type: application/json
        on POST.
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

    /**
     * Parses [args], starts the emulator, prints its base URL on [out] and hands it to [serve], which returns
     * when the emulator should stop. Returns the process exit code.
     */
    @JvmSynthetic
    internal fun run(args: Array<String>, out: PrintStream, err: PrintStream, serve: (DataverseEmulator) -> Unit): Int =
        when (val command = parse(args)) {
            is MainCommand.Help -> {
                out.println(usage)
                0
            }
            is MainCommand.Invalid -> {
                err.println("dataverse-emulator: ${command.message}")
                err.println(usage)
                EXIT_USAGE
            }
            is MainCommand.Serve -> serve(command, out, err, serve)
        }

    private fun serve(command: MainCommand.Serve, out: PrintStream, err: PrintStream, serve: (DataverseEmulator) -> Unit): Int {
        val options = command.options
        val emulator = try {
            DataverseEmulator.start(options)
        } catch (e: IOException) {
            err.println("dataverse-emulator: cannot listen on port ${options.port}: ${e.message}")
            return EXIT_START_FAILED
        } catch (e: EmulatorSchemaException) {
            err.println("dataverse-emulator: ${e.message}")
            return EXIT_START_FAILED
        }
        emulator.use {
            val certificate = it.certificate
            if (command.certificateOut != null && certificate != null) {
                try {
                    Files.writeString(command.certificateOut, SelfSignedCertificate.pem(certificate), Charsets.US_ASCII)
                } catch (e: IOException) {
                    err.println("dataverse-emulator: cannot write the certificate to ${command.certificateOut}: ${e.message}")
                    return EXIT_START_FAILED
                }
            }
            out.println(it.baseUrl)
            out.flush()
            serve(it)
        }
        return 0
    }

    /** Parses the command line (every option also as `--name=value`); see the usage text. */
    @JvmSynthetic
    internal fun parse(args: Array<String>): MainCommand {
        val builder = EmulatorOptions.builder()
        val faults = mutableListOf<FaultRule>()
        val solutions = mutableSetOf<String>()
        var latencyMillis: Long? = null
        var certificateOut: Path? = null
        val queue = ArrayDeque(args.flatMap(::splitAssignment))
        try {
            while (queue.isNotEmpty()) {
                val option = queue.removeFirst()
                if (option == "--help" || option == "-h") return MainCommand.Help
                if (option == "--tls") {
                    builder.tls(true)
                    continue
                }
                if (option !in VALUE_OPTIONS) return MainCommand.Invalid("unknown option '$option'")
                val value = queue.removeFirstOrNull() ?: return MainCommand.Invalid("option $option needs a value")
                when (option) {
                    "--port" -> builder.port(number(option, value).toInt())
                    "--dop-hint" -> builder.dopHint(number(option, value).toInt())
                    "--token" -> builder.requiredToken(value)
                    "--concurrency-limit" -> builder.concurrencyLimit(number(option, value).toInt())
                    "--seed" -> builder.faultSeed(value.toLongOrNull() ?: throw IllegalArgumentException("--seed needs a number, got '$value'"))
                    "--fault" -> faults += fault(value)
                    "--latency-ms" -> latencyMillis = value.toLongOrNull() ?: throw IllegalArgumentException("--latency-ms needs a number, got '$value'")
                    "--synthetic-rows" -> builder.syntheticRows(value.toLongOrNull() ?: throw IllegalArgumentException("--synthetic-rows needs a number, got '$value'"))
                    "--key-activation-ms" -> builder.keyActivationDelayMillis(
                        value.toLongOrNull()?.takeIf { it >= 0 } ?: throw IllegalArgumentException("--key-activation-ms needs a number of milliseconds, got '$value'"),
                    )
                    "--max-body-bytes" -> builder.maxRequestBodyBytes(
                        value.toLongOrNull() ?: throw IllegalArgumentException("--max-body-bytes needs a number of bytes, got '$value'"),
                    )
                    "--admin-token" -> builder.adminToken(value)
                    "--service-protection" -> builder.serviceProtection(
                        ServiceProtectionLimits(
                            timeScale = value.toIntOrNull()?.takeIf { it >= 1 }
                                ?: throw IllegalArgumentException("--service-protection needs a time scale of at least 1, got '$value'"),
                        ),
                    )
                    "--change-retention-s" -> builder.changeTrackingRetention(
                        Duration.ofSeconds(
                            value.toLongOrNull()?.takeIf { it > 0 } ?: throw IllegalArgumentException("--change-retention-s needs a positive number of seconds, got '$value'"),
                        ),
                    )
                    "--cert-out" -> certificateOut = Path.of(value)
                    "--bulk-unsupported" -> builder.bulkUnsupportedTables(value.split(',').map { it.trim() }.filter { it.isNotEmpty() }.toSet())
                    "--request-timeout-ms" -> builder.requestTimeout(
                        Duration.ofMillis(
                            value.toLongOrNull()?.takeIf { it > 0 } ?: throw IllegalArgumentException("--request-timeout-ms needs a positive number of milliseconds, got '$value'"),
                        ),
                    )
                    "--schema" -> builder.schema(Path.of(value))
                    "--solution" -> solutions += value.split(',').map { it.trim() }.filter { it.isNotEmpty() }
                }
            }
            latencyMillis?.takeIf { it > 0 }?.let { faults += FaultRule(FaultKind.LATENCY, latencyMillis = it) }
            val options = builder.faults(faults).solutions(solutions).build()
            if (certificateOut != null && !options.tls) return MainCommand.Invalid("--cert-out needs --tls")
            return MainCommand.Serve(options, certificateOut)
        } catch (e: IllegalArgumentException) {
            return MainCommand.Invalid(e.message ?: "invalid options")
        }
    }

    /** An integer option value, or the usage error naming [option]. */
    private fun number(option: String, value: String): Long =
        value.toIntOrNull()?.toLong() ?: throw IllegalArgumentException("$option needs a number, got '$value'")

    /** `KIND:PROBABILITY[:PATH_REGEX]`, e.g. `SERVICE_UNAVAILABLE:0.05:accounts.*` (the regex may contain ':'). */
    private fun fault(spec: String): FaultRule {
        val parts = spec.split(':', limit = 3)
        val kind = FaultKind.entries.firstOrNull { it.name.equals(parts[0], ignoreCase = true) }
            ?: throw IllegalArgumentException("--fault: unknown kind '${parts[0]}' in '$spec'; one of ${FaultKind.entries.joinToString(", ")}")
        val probability = parts.getOrNull(1)?.toDoubleOrNull()
            ?: throw IllegalArgumentException("--fault needs KIND:PROBABILITY[:PATH_REGEX], got '$spec'")
        val latency = if (kind == FaultKind.LATENCY) DEFAULT_FAULT_LATENCY_MILLIS else 0L
        return FaultRule(kind, probability, pathPattern = parts.getOrNull(2)?.takeIf { it.isNotEmpty() }, latencyMillis = latency)
    }

    /** `--port=8080` as `--port`, `8080`; other arguments unchanged. */
    private fun splitAssignment(argument: String): List<String> =
        if (argument.startsWith("--") && argument.contains('=')) listOf(argument.substringBefore('='), argument.substringAfter('=')) else listOf(argument)

    private val VALUE_OPTIONS = setOf(
        "--port", "--token", "--dop-hint", "--concurrency-limit", "--seed", "--fault", "--latency-ms", "--synthetic-rows", "--bulk-unsupported",
        "--key-activation-ms", "--max-body-bytes", "--admin-token", "--cert-out", "--change-retention-s", "--service-protection",
        "--request-timeout-ms", "--solution", "--schema",
    )

    /** The delay of a `--fault LATENCY:P` rule, which has no field for it. */
    private const val DEFAULT_FAULT_LATENCY_MILLIS = 1000L
}

package dev.dataverse.codegen.internal

/** A command line the tool refuses before doing anything: exit status 2 with the usage text. */
internal class UsageException(message: String) : RuntimeException(message)

/** A parsed command line. */
internal sealed class CliCommand {
    class Generate(val snapshot: String, val out: String, val language: String, val packageName: String) : CliCommand()

    class Export(
        val url: String,
        val tables: List<String>,
        val customApis: List<String>,
        val source: String?,
        val out: String,
        /** The environment variable holding a bearer token; `null` for `DefaultAzureCredential`. */
        val tokenEnv: String?,
    ) : CliCommand()

    companion object {
        private val GENERATE_OPTIONS = setOf("--snapshot", "--out", "--language", "--package")
        private val EXPORT_OPTIONS = setOf("--url", "--tables", "--custom-apis", "--source", "--out", "--token-env")

        /** Parses [args] (the command first); throws [UsageException] naming what is wrong. */
        fun parse(args: List<String>): CliCommand {
            val command = args.firstOrNull() ?: throw UsageException("No command.")
            val allowed = when (command) {
                "generate" -> GENERATE_OPTIONS
                "export" -> EXPORT_OPTIONS
                else -> throw UsageException("Unknown command '$command'.")
            }
            val options = options(args.drop(1), allowed)
            fun required(vararg names: String) {
                val missing = names.filter { it !in options }
                if (missing.isNotEmpty()) throw UsageException("Missing ${missing.joinToString()}.")
            }
            return when (command) {
                "generate" -> {
                    required("--snapshot", "--out", "--package")
                    Generate(options.getValue("--snapshot"), options.getValue("--out"), options["--language"] ?: "kotlin", options.getValue("--package"))
                }
                else -> {
                    required("--url", "--out")
                    val tables = list(options, "--tables")
                    val apis = list(options, "--custom-apis")
                    if (tables.isEmpty() && apis.isEmpty()) throw UsageException("Give --tables, --custom-apis or both.")
                    val tokenEnv = options["--token-env"]
                    if (tokenEnv != null && !tokenEnv.matches(Regex("[A-Za-z_][A-Za-z0-9_]*"))) {
                        throw UsageException("--token-env takes the name of an environment variable, not '$tokenEnv'.")
                    }
                    val source = options["--source"]
                    if (source != null && source.isBlank()) throw UsageException("--source cannot be blank; leave the option out for no label.")
                    Export(options.getValue("--url"), tables, apis, source, options.getValue("--out"), tokenEnv)
                }
            }
        }

        private fun options(args: List<String>, allowed: Set<String>): Map<String, String> {
            val options = LinkedHashMap<String, String>()
            var i = 0
            while (i < args.size) {
                val name = args[i]
                if (name !in allowed) throw UsageException("Unknown option '$name'.")
                if (i + 1 >= args.size) throw UsageException("Option '$name' needs a value.")
                if (name in options) throw UsageException("Option '$name' is given twice.")
                options[name] = args[i + 1]
                i += 2
            }
            return options
        }

        /** A comma-separated list: names trimmed, none empty, none twice (ignoring case, as the service compares them). */
        private fun list(options: Map<String, String>, name: String): List<String> {
            val value = options[name] ?: return emptyList()
            val items = value.split(',').map { it.trim() }
            if (items.any { it.isEmpty() }) throw UsageException("$name takes names separated by commas, not '$value'.")
            val duplicate = items.groupBy { it.lowercase() }.values.firstOrNull { it.size > 1 }
            if (duplicate != null) throw UsageException("$name names '${duplicate.first()}' twice.")
            return items
        }
    }
}

package dev.dataverse.integration

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** Runs a main class of the test classpath in a child JVM with a small heap, for tests where memory is the point. */
internal object ChildJvm {
    private const val HANG_GUARD_MINUTES = 5L

    /**
     * Jars of the test tooling that no child main uses. The JDK opens a classpath jar (and keeps its central directory on
     * the heap) when a class lookup passes it, and the Kotlin compiler's alone costs 3 MB there: the heap a child measures
     * must be the client's, as in an application, not the build's.
     */
    private val TEST_TOOLING = listOf(
        "/org/jetbrains/kotlin/kotlin-compiler-embeddable/", "/org/jetbrains/kotlin/kotlin-reflect/",
        "/io/kotest/", "/io/mockk/", "/net/bytebuddy/", "/org/junit/",
    )

    /** This JVM's classpath without [TEST_TOOLING]. */
    private fun classpath(): String {
        val separator = java.io.File.pathSeparator
        return System.getProperty("java.class.path").split(separator)
            .filterNot { entry -> TEST_TOOLING.any { entry.replace('\\', '/').contains(it) } }
            .joinToString(separator)
    }

    /**
     * Runs [mainClass] with [args] in a JVM with a [heapMb] MB heap and this JVM's java and classpath (without the test
     * tooling); returns its exit code and output. An OutOfMemoryError anywhere, also in a thread of the HTTP client, ends
     * the child at once (and so fails the test) rather than leaving a request waiting forever. [jvmOptions] go before the
     * main class.
     */
    fun run(mainClass: Class<*>, heapMb: Int, args: List<String>, jvmOptions: List<String> = emptyList()): Pair<Int, String> {
        val java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        val command = listOf(
            java, "-Xmx${heapMb}m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", classpath(),
        ) + jvmOptions + mainClass.name + args
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        try {
            val output = StringBuffer()
            val reader = Thread { process.inputStream.bufferedReader().forEachLine { output.appendLine(it) } }.apply { start() }
            // A guard against a hang, not a performance limit: a heap too small makes the JVM collect for minutes on end.
            check(process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) { "The child JVM did not finish in $HANG_GUARD_MINUTES minutes:\n$output" }
            reader.join()
            return process.exitValue() to output.toString()
        } finally {
            if (process.isAlive) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS)
        }
    }
}

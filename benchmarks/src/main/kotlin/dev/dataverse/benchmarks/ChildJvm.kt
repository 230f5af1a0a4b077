package dev.dataverse.benchmarks

import java.io.File
import java.net.URLClassLoader
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * Starting other JVMs (the emulator, the streaming client) with this module's classpath.
 *
 * Under `exec:java` this code runs inside Maven's JVM, whose `java.class.path` is Maven's launcher: the module's classpath
 * is then that of the class loader exec:java built (a `URLClassLoader`). Elsewhere (a plain `java -cp`, Surefire) it is
 * `java.class.path`; Surefire's manifest-only jar works too, as its manifest lists the classpath.
 */
object ChildJvm {
    private val children = mutableListOf<Process>()

    init {
        Runtime.getRuntime().addShutdownHook(Thread({ synchronized(children) { children.toList() }.forEach { it.destroyForcibly() } }, "benchmark-children-cleanup"))
    }

    val java: String = Paths.get(System.getProperty("java.home"), "bin", "java").toString()

    val classpath: String by lazy {
        val urls = (ChildJvm::class.java.classLoader as? URLClassLoader)?.urLs.orEmpty().filter { it.protocol == "file" }
        if (urls.isNotEmpty()) {
            urls.joinToString(File.pathSeparator) { Paths.get(it.toURI()).toString() }
        } else {
            System.getProperty("java.class.path")
        }
    }

    /**
     * Starts `[prefix] java [jvmArgs] -cp <classpath> mainClass [args]` (the prefix e.g. `taskset -c 0`) with standard error going to a log file (printed when
     * something fails) and standard output piped to the caller. The process is killed when this JVM exits.
     */
    fun start(name: String, jvmArgs: List<String>, mainClass: String, args: List<String>, prefix: List<String> = emptyList()): Child {
        val log = Files.createTempFile("benchmark-$name-", ".log")
        val command = prefix + listOf(java) + jvmArgs + listOf("-cp", classpath, mainClass) + args
        val process = ProcessBuilder(command).redirectError(log.toFile()).start()
        synchronized(children) { children += process }
        return Child(name, process, log)
    }

    class Child(val name: String, val process: Process, val log: Path) : AutoCloseable {
        /** The tail of the child's standard error, for failure messages. */
        fun logTail(lines: Int = 30): String =
            runCatching { Files.readAllLines(log).takeLast(lines).joinToString("\n") }.getOrDefault("<no log>")

        /** Reads standard output line by line on a daemon thread; [onLine] sees every line. */
        fun readLines(onLine: (String) -> Unit): CompletableFuture<Unit> {
            val done = CompletableFuture<Unit>()
            Thread({
                try {
                    process.inputStream.bufferedReader().useLines { lines -> lines.forEach(onLine) }
                    done.complete(Unit)
                } catch (e: Exception) {
                    done.completeExceptionally(e)
                }
            }, "benchmark-$name-stdout").apply { isDaemon = true }.start()
            return done
        }

        override fun close() {
            if (process.isAlive) {
                process.destroy()
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS)
            }
            synchronized(children) { children -= process }
            runCatching { Files.deleteIfExists(log) }
        }
    }
}

package dev.dataverse.emulator

import java.io.ByteArrayOutputStream
import java.io.PrintStream

/**
 * What the JVM prints to standard error while [block] runs, from any thread. The tests' SLF4J binding (slf4j-simple,
 * configured in `simplelogger.properties`) writes there, looking `System.err` up at each line, so this is what a user of
 * the emulator sees in their own test output.
 */
suspend fun capturingStandardError(block: suspend () -> Unit): String {
    val original = System.err
    val captured = ByteArrayOutputStream()
    System.setErr(PrintStream(captured, true, Charsets.UTF_8))
    try {
        block()
    } finally {
        System.setErr(original)
    }
    return captured.toString(Charsets.UTF_8)
}

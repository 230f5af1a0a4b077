package dev.dataverse.dsl

import dev.dataverse.BatchRequest
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files

/**
 * The DSL scopes are checked by the compiler (see `DataverseDsl`): a read or a nested change set inside `changeSet {}`
 * must not compile, rather than silently land outside the change set. Snippets are compiled with the real Kotlin
 * compiler against the library's classes.
 */
class DslScopeSpec : FunSpec({
    fun compile(source: String): Pair<ExitCode, String> {
        val dir = Files.createTempDirectory("dsl-scope").toFile()
        try {
            val file = File(dir, "Snippet.kt").apply { writeText(source) }
            val classpath = listOf(BatchRequest::class.java, Unit::class.java)
                .joinToString(File.pathSeparator) { File(it.protectionDomain.codeSource.location.toURI()).path }
            val out = ByteArrayOutputStream()
            val code = K2JVMCompiler().exec(
                PrintStream(out, true, Charsets.UTF_8),
                "-jvm-target", "17", "-no-stdlib", "-no-reflect", "-classpath", classpath, "-d", File(dir, "out").path, file.path,
            )
            return code to out.toString(Charsets.UTF_8)
        } finally {
            dir.deleteRecursively()
        }
    }

    test("a batch with a read beside a change set compiles") {
        val (code, messages) = compile(
            """
            import dev.dataverse.*
            fun build(id: java.util.UUID) = batchRequest {
                get("account", id)
                changeSet { create("account", mapOf("name" to "Contoso")) }
                val filter = where { ("statecode" eq 0) and ("name" startsWith "Con") }
            }
            """.trimIndent(),
        )
        withClue(messages) { code shouldBe ExitCode.OK }
    }

    test("a read or a nested change set inside changeSet {} does not compile") {
        val (code, messages) = compile(
            """
            import dev.dataverse.*
            fun build(id: java.util.UUID) = batchRequest {
                changeSet {
                    get("account", id)
                    changeSet { create("account", mapOf("name" to "Contoso")) }
                }
            }
            """.trimIndent(),
        )
        withClue(messages) { code shouldBe ExitCode.COMPILATION_ERROR }
        // Line 4 is the read, line 5 the nested change set: both calls would reach the hidden outer batch builder.
        messages shouldContain "Snippet.kt:4:"
        messages shouldContain "Snippet.kt:5:"
        messages shouldContain "cannot be called in this context with an implicit receiver"
    }
})

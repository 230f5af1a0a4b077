package dev.dataverse.dsl

import dev.dataverse.BatchRequest
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files

/**
 * The DSL scopes are checked by the compiler (see `DataverseDsl`): a read or a nested change set inside `changeSet {}`
 * must not compile, rather than silently land outside the change set. Two snippets are type-checked in one run of the
 * real Kotlin compiler against the library's classes (one run, because starting the compiler is the expensive part):
 * the correct use must raise no error, each misuse exactly its own.
 */
class DslScopeSpec : FunSpec({
    test("a read or a nested change set inside changeSet {} does not compile; a read beside a change set does") {
        val dir = Files.createTempDirectory("dsl-scope").toFile()
        try {
            File(dir, "Correct.kt").writeText(
                """
                import dev.dataverse.*
                fun correct(id: java.util.UUID) = batchRequest {
                    get("account", id)
                    changeSet { create("account", mapOf("name" to "Contoso")) }
                    val filter = where { ("statecode" eq 0) and ("name" startsWith "Con") }
                }
                """.trimIndent(),
            )
            File(dir, "Misuse.kt").writeText(
                """
                import dev.dataverse.*
                fun misuse(id: java.util.UUID) = batchRequest {
                    changeSet {
                        get("account", id)
                        changeSet { create("account", mapOf("name" to "Contoso")) }
                    }
                }
                """.trimIndent(),
            )
            val classpath = listOf(BatchRequest::class.java, Unit::class.java)
                .joinToString(File.pathSeparator) { File(it.protectionDomain.codeSource.location.toURI()).path }
            val out = ByteArrayOutputStream()
            val code = K2JVMCompiler().exec(
                PrintStream(out, true, Charsets.UTF_8),
                "-jvm-target", "17", "-no-stdlib", "-no-reflect", "-classpath", classpath, "-d", File(dir, "out").path,
                File(dir, "Correct.kt").path, File(dir, "Misuse.kt").path,
            )
            val messages = out.toString(Charsets.UTF_8)
            withClue(messages) {
                code shouldBe ExitCode.COMPILATION_ERROR
                messages shouldNotContain "Correct.kt"
                // Line 4 is the read, line 5 the nested change set: both calls would reach the hidden outer batch builder.
                messages shouldContain "Misuse.kt:4:"
                messages shouldContain "Misuse.kt:5:"
                Regex("error: ").findAll(messages).count() shouldBe 2
                messages shouldContain "cannot be called in this context with an implicit receiver"
            }
        } finally {
            dir.deleteRecursively()
        }
    }
})

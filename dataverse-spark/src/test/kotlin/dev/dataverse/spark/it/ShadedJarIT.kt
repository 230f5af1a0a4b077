package dev.dataverse.spark.it

import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.string.shouldContain
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.jar.JarEntry
import java.util.jar.JarFile
import java.util.jar.JarOutputStream

/**
 * The connector jar (`dataverse-spark-<version>-all.jar`) as users deploy it: `spark-submit --jars` on a JVM whose
 * classpath is Spark's alone, against an emulator, reading, writing and aggregating; and its content: nothing outside the
 * connector's packages but relocated copies (and JNA, which keeps its package), so no dependency meets another version
 * on the cluster.
 */
class ShadedJarIT : FunSpec({
    val jar = Path.of(System.getProperty("connector.jar"))

    test("every class of the jar is the connector's or relocated under dev.dataverse.spark.shaded (JNA aside)") {
        JarFile(jar.toFile()).use { file ->
            val classes = file.entries().asSequence().map { it.name }.filter { it.endsWith(".class") }.toList()
            classes.size shouldBeGreaterThan 1_000
            classes.filterNot { it.startsWith("dev/dataverse/") || it.startsWith("com/sun/jna/") }.shouldBeEmpty()
            classes.any { it.startsWith("dev/dataverse/spark/shaded/kotlin/") } shouldBe true
            // Service files follow their relocated interfaces (azure-core finds its parts through them), and only the
            // connector's own is for Spark.
            val services = file.entries().asSequence().map { it.name }.filter { it.startsWith("META-INF/services/") && !it.endsWith("/") }.toList()
            services.filterNot { it.startsWith("META-INF/services/dev.dataverse.spark.shaded.") } shouldBe
                listOf("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")
            services shouldContain "META-INF/services/dev.dataverse.spark.shaded.com.azure.core.http.HttpClientProvider"
        }
    }

    test("spark-submit --jars with the connector jar reads, writes and aggregates on a JVM that has only Spark") {
        DataverseEmulator.start(EmulatorOptions(syntheticRows = 5_000)).use { emulator ->
            val app = Files.createTempFile("shaded-jar-app", ".jar")
            JarOutputStream(Files.newOutputStream(app)).use { out ->
                val name = "dev/dataverse/spark/it/ShadedJarApp.class"
                out.putNextEntry(JarEntry(name))
                out.write(ShadedJarApp::class.java.classLoader.getResourceAsStream(name)!!.readAllBytes())
                out.closeEntry()
            }
            val classpath = System.getProperty("spark.classpath.files").split(',').joinToString(File.pathSeparator) { Files.readString(Path.of(it)).trim() }
            val command = listOf(Path.of(System.getProperty("java.home"), "bin", "java").toString()) +
                System.getProperty("spark.java.options").trim().split(Regex("\\s+")) +
                listOf(
                    "-Xmx1g", "-cp", classpath, "org.apache.spark.deploy.SparkSubmit",
                    "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
                    "--jars", jar.toString(), "--class", "dev.dataverse.spark.it.ShadedJarApp", app.toString(),
                    emulator.baseUrl, "shaded-jar-token",
                )
            val output = Files.createTempFile("shaded-jar-app", ".log")
            val process = ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start()
            val finished = process.waitFor(5, TimeUnit.MINUTES)
            if (!finished) process.destroyForcibly()
            val log = Files.readString(output)
            val result = log.lineSequence().firstOrNull { it.startsWith("RESULT ") } ?: error("no RESULT line; the application's output:\n$log")
            process.exitValue() shouldBe 0
            result shouldContain "read=1000"
            result shouldContain "written=200"
            result shouldContain "sum=19900"
            // The application sees the connector, and no Kotlin: the client's dependencies are relocated.
            result shouldContain "kotlinVisible=false"
            result shouldContain "connectorVisible=true"
        }
    }
})

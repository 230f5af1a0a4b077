package dev.dataverse.spring.internal

import org.springframework.beans.factory.config.BeanFactoryPostProcessor
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory
import org.springframework.boot.SpringBootVersion
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer
import org.springframework.boot.diagnostics.FailureAnalysis

/**
 * The Kotlin libraries the client needs, checked before any bean is created: an application on Spring Boot 3.5 gets
 * Kotlin 1.9.25, kotlinx-coroutines 1.8.1 and kotlinx-serialization 1.6.3 from Boot's dependency management, older
 * than the client is built for, and would otherwise fail later with a `NoClassDefFoundError` deep in a call
 * (`kotlin/coroutines/jvm/internal/SpillingKt`). Startup fails instead, naming the Boot version, the versions found and
 * the properties that set them. A version that cannot be read (a shaded or repackaged jar) is not held against the
 * application.
 *
 * Written with nothing newer than Kotlin 1.9's standard library, since it runs on it.
 */
internal object LibraryVersions {
    /** One library: its name, the oldest version the client supports, and the version found (null: unknown). */
    class Library(val name: String, val property: String, val required: String, val found: String?) {
        val tooOld: Boolean get() = found != null && compare(found, required) < 0
    }

    const val KOTLIN = "2.2.21"
    const val COROUTINES = "1.10.2"
    const val SERIALIZATION = "1.9.0"

    /** The three libraries as this classpath has them. */
    fun found(loader: ClassLoader?): List<Library> = listOf(
        Library("Kotlin (kotlin-stdlib)", "kotlin.version", KOTLIN, KotlinVersion.CURRENT.toString()),
        Library("kotlinx-coroutines", "kotlin-coroutines.version", COROUTINES, jarVersion(loader, "kotlinx.coroutines.Job", "kotlinx-coroutines-core")),
        Library("kotlinx-serialization", "kotlin-serialization.version", SERIALIZATION, jarVersion(loader, "kotlinx.serialization.KSerializer", "kotlinx-serialization-core")),
    )

    /** A post-processor that fails the context's refresh before any bean exists when a library is too old. */
    fun check(): BeanFactoryPostProcessor = BeanFactoryPostProcessor { factory: ConfigurableListableBeanFactory ->
        val libraries = found(factory.beanClassLoader)
        if (libraries.any { it.tooOld }) throw LibraryVersionsException(libraries, SpringBootVersion.getVersion())
    }

    /** The version of the jar holding [className]: its manifest's, else the one in its file name (`name-1.2.3.jar`). */
    private fun jarVersion(loader: ClassLoader?, className: String, artifact: String): String? {
        val type = try {
            Class.forName(className, false, loader ?: LibraryVersions::class.java.classLoader)
        } catch (e: ClassNotFoundException) {
            return null
        } catch (e: LinkageError) {
            return null
        }
        type.`package`?.implementationVersion?.let { if (VERSION.matches(it)) return it }
        val location = try {
            type.protectionDomain?.codeSource?.location?.toString()
        } catch (e: SecurityException) {
            null
        } ?: return null
        return Regex(Regex.escape(artifact) + "(?:-jvm)?-(\\d+\\.\\d+(?:\\.\\d+)?)[^/]*\\.jar").find(location)?.groupValues?.get(1)
    }

    private val VERSION = Regex("\\d+\\.\\d+(?:\\.\\d+)?.*")

    /** Compares dotted versions numerically by their first three parts; a qualifier (`-RC`) is ignored. */
    fun compare(a: String, b: String): Int {
        fun parts(v: String) = v.split('.', '-').take(3).map { part -> part.takeWhile { it.isDigit() }.toIntOrNull() ?: 0 }
        val x = parts(a)
        val y = parts(b)
        for (i in 0 until 3) {
            val c = (x.getOrElse(i) { 0 }).compareTo(y.getOrElse(i) { 0 })
            if (c != 0) return c
        }
        return 0
    }
}

/** A Kotlin library of the application is older than the client supports; see [LibraryVersions]. */
internal class LibraryVersionsException(val libraries: List<LibraryVersions.Library>, val bootVersion: String?) : IllegalStateException(
    "The Dataverse client needs " + libraries.joinToString { "${it.name} ${it.required} or newer" } + "; this application has " +
        libraries.joinToString { "${it.name} ${it.found ?: "(version unknown)"}" } + " (Spring Boot ${bootVersion ?: "(version unknown)"}).",
)

/** Says which versions to set: Spring Boot prints this instead of the stack trace. */
internal class LibraryVersionsFailureAnalyzer : AbstractFailureAnalyzer<LibraryVersionsException>() {
    override fun analyze(rootFailure: Throwable, cause: LibraryVersionsException): FailureAnalysis {
        val old = cause.libraries.filter { it.tooOld }
        val boot = cause.bootVersion ?: "(version unknown)"
        return FailureAnalysis(
            "The Dataverse client needs newer Kotlin libraries than this application has:\n" +
                old.joinToString("\n") { "    ${it.name}: ${it.found} found, ${it.required} or newer needed" } + "\n\n" +
                "Spring Boot $boot manages these versions" + (if (boot.startsWith("3.")) " (Boot 3.5 manages Kotlin 1.9.25, kotlinx-coroutines 1.8.1 and kotlinx-serialization 1.6.3)" else "") + ".",
            "Override Spring Boot's versions in the <properties> of your pom.xml (spring-boot-starter-parent or the " +
                "spring-boot-dependencies BOM reads them):\n\n" +
                old.joinToString("\n") { "    <${it.property}>${it.required}</${it.property}>" } + "\n\n" +
                "With Gradle and the io.spring.dependency-management plugin: " +
                old.joinToString(", ") { "extra[\"${it.property}\"] = \"${it.required}\"" } +
                ". A Kotlin application also needs a Kotlin ${LibraryVersions.KOTLIN.substringBeforeLast('.')} compiler (kotlin-maven-plugin or the Gradle plugin).",
            cause,
        )
    }
}

package dev.dataverse.spring.internal

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/** Resolves `dataverse.emulator.schema`: a file path, or `classpath:` and a resource name. */
internal object EmulatorSchemas {
    private const val CLASSPATH = "classpath:"

    /**
     * The snapshot file [setting] names; `null` when it is unset. A classpath resource that is not a plain file (one
     * inside a jar) is copied to a temporary file, since the emulator reads a file.
     */
    fun path(setting: String?): Path? {
        val value = setting?.trim()?.takeIf { it.isNotEmpty() } ?: return null
        if (!value.startsWith(CLASSPATH)) return Path.of(value)
        val name = value.removePrefix(CLASSPATH).removePrefix("/")
        val loader = Thread.currentThread().contextClassLoader ?: EmulatorSchemas::class.java.classLoader
        val url = loader.getResource(name)
            ?: throw IllegalArgumentException("'dataverse.emulator.schema' names the classpath resource '$name', which does not exist.")
        if (url.protocol == "file") return Path.of(url.toURI())
        val copy = Files.createTempFile("dataverse-schema", ".json")
        copy.toFile().deleteOnExit()
        url.openStream().use { Files.copy(it, copy, StandardCopyOption.REPLACE_EXISTING) }
        return copy
    }
}

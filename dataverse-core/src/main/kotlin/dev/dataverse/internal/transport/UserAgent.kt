package dev.dataverse.internal.transport

import java.util.Properties

/** `dataverse-kotlin/<version> (Java <version>; <os>)`, plus the caller's application id when given. */
internal object UserAgent {
    val version: String by lazy {
        val properties = Properties()
        UserAgent::class.java.getResourceAsStream("/dev/dataverse/version.properties")?.use(properties::load)
        properties.getProperty("version") ?: "unknown"
    }

    fun build(applicationId: String?): String {
        val base = "dataverse-kotlin/$version (Java ${System.getProperty("java.version")}; ${System.getProperty("os.name")})"
        return if (applicationId == null) base else "$base $applicationId"
    }
}

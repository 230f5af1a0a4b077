package dev.dataverse.spring.internal

import dev.dataverse.DataverseClient
import dev.dataverse.RetryOptions
import dev.dataverse.spring.DataverseProperties

/**
 * Applies [DataverseProperties] to a client builder. The same steps validate the properties at startup, one property
 * at a time, so the builder's rules are the only rules and each failure is reported against its property.
 */
internal object ClientConfigurer {
    /** Each property (by its bean path) with the builder step that applies it; a step throws on a bad value. */
    fun checks(properties: DataverseProperties): List<Pair<String, (DataverseClient.Builder) -> Unit>> = with(properties) {
        listOfNotNull(
            environmentUrl?.takeIf { !emulator.enabled }?.let { url -> "environmentUrl" to { b: DataverseClient.Builder -> b.environmentUrl(url) } },
            "apiVersion" to { b -> b.apiVersion(apiVersion) },
            token?.let { value -> "token" to { b: DataverseClient.Builder -> b.token(value) } },
            applicationId?.let { id -> "applicationId" to { b: DataverseClient.Builder -> b.applicationId(id) } },
            "requestTimeout" to { b -> b.requestTimeout(requestTimeout) },
            "connectTimeout" to { b -> b.connectTimeout(connectTimeout) },
            operationTimeout?.let { timeout -> "operationTimeout" to { b: DataverseClient.Builder -> b.operationTimeout(timeout) } },
            "maxConnections" to { b -> b.maxConnections(maxConnections) },
            "maxConcurrentRequests" to { b -> b.maxConcurrentRequests(maxConcurrentRequests) },
            "metadataCacheTtl" to { b -> b.metadataCacheTtl(metadataCacheTtl) },
            "retry" to { b -> b.retry(retryOptions(properties)) },
        )
    }

    /** Everything but the credentials and the environment, which depend on the context (beans, the emulator). */
    fun configure(builder: DataverseClient.Builder, properties: DataverseProperties) {
        with(properties) {
            builder.apiVersion(apiVersion)
            applicationId?.let(builder::applicationId)
            builder.requestTimeout(requestTimeout).connectTimeout(connectTimeout)
            operationTimeout?.let(builder::operationTimeout)
            builder.maxConnections(maxConnections).maxConcurrentRequests(maxConcurrentRequests).metadataCacheTtl(metadataCacheTtl)
            builder.httpEngine(engine).logBodies(logBodies).retry(retryOptions(properties))
        }
    }

    private fun retryOptions(properties: DataverseProperties): RetryOptions = with(properties.retry) {
        RetryOptions.builder().maxAttempts(maxAttempts).baseDelay(baseDelay).maxDelay(maxDelay).maxElapsed(maxElapsed).build()
    }
}

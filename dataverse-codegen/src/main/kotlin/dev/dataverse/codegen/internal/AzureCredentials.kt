package dev.dataverse.codegen.internal

import com.azure.core.credential.TokenCredential
import com.azure.identity.DefaultAzureCredentialBuilder

/**
 * azure-identity's `DefaultAzureCredential` (environment variables, workload identity, managed identity, Azure CLI,
 * ...). In its own class so that the generator's other entry points (the Maven plugin) never load azure-identity, which
 * is optional for them.
 */
internal object AzureCredentials {
    fun default(): TokenCredential = DefaultAzureCredentialBuilder().build()
}

package dev.dataverse.spring.internal

import dev.dataverse.spring.DataverseProperties
import java.net.URI
import java.net.URISyntaxException
import java.nio.file.Files
import java.nio.file.InvalidPathException
import java.nio.file.Path

/**
 * The `dataverse.credential.*` properties: which azure-identity credential they describe, and what is wrong with them.
 * Every check runs at startup, before a credential exists; messages name properties, never a secret's value.
 */
internal object CredentialSettings {
    /** The credential a set of properties asks for. */
    enum class Kind(val description: String) {
        CLIENT_SECRET("a client secret (ClientSecretCredential)"),
        CERTIFICATE("a certificate (ClientCertificateCredential)"),
        MANAGED_IDENTITY("a managed identity (ManagedIdentityCredential)"),
        DEFAULT_IN_TENANT("DefaultAzureCredential in the configured tenant"),
    }

    private const val P = "${DataverseProperties.PREFIX}.credential"

    /** Entra tenant ids are GUIDs or domain names; azure-identity accepts letters, digits, `-` and `.`. */
    private val TENANT = Regex("[0-9A-Za-z.-]{1,256}")
    private val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    private val PEM = listOf(".pem")
    private val PFX = listOf(".pfx", ".p12")

    /** The kind of credential [credential] describes, or null when none of its properties is set. Assumes [problems] is empty. */
    fun kind(credential: DataverseProperties.Credential): Kind? = with(credential) {
        when {
            clientSecret != null -> Kind.CLIENT_SECRET
            certificatePath != null -> Kind.CERTIFICATE
            managedIdentityClientId != null || managedIdentityEnabled -> Kind.MANAGED_IDENTITY
            tenantId != null -> Kind.DEFAULT_IN_TENANT
            else -> null
        }
    }

    /** Whether any property of the group is set. */
    fun isConfigured(credential: DataverseProperties.Credential): Boolean = with(credential) {
        listOf(tenantId, clientId, clientSecret, certificatePath, certificatePassword, managedIdentityClientId, authorityHost).any { it != null } ||
            managedIdentityEnabled
    }

    /** Whether [path] names a PEM file (else PFX). */
    fun isPem(path: String): Boolean = PEM.any { path.lowercase().endsWith(it) }

    /** What is wrong with [credential], as (field of [DataverseProperties], message) pairs; empty when it is usable. */
    fun problems(credential: DataverseProperties.Credential): List<Pair<String, String>> = buildList {
        with(credential) {
            fun problem(field: String, message: String) = add("credential.$field" to message)
            val secret = clientSecret
            val certificate = certificatePath
            val managed = managedIdentityClientId != null || managedIdentityEnabled
            tenantId?.let { if (!TENANT.matches(it)) problem("tenantId", "must be a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com.") }
            clientId?.let { if (!GUID.matches(it)) problem("clientId", "must be an application (client) id, a GUID.") }
            managedIdentityClientId?.let { if (!GUID.matches(it)) problem("managedIdentityClientId", "must be a managed identity's client id, a GUID.") }
            if (secret != null && (secret.isBlank() || secret.any { it.isISOControl() })) {
                problem("clientSecret", "cannot be blank or contain control characters.")
            }
            if (secret != null && certificate != null) problem("certificatePath", "set either '$P.client-secret' or '$P.certificate-path', not both.")
            if (managed && (secret != null || certificate != null)) {
                problem(if (managedIdentityClientId != null) "managedIdentityClientId" else "managedIdentityEnabled",
                    "a managed identity needs no client secret or certificate: remove '$P.client-secret' and '$P.certificate-path'.")
            }
            if (secret != null || certificate != null) {
                val what = if (secret != null) "a client secret" else "a certificate"
                if (tenantId == null) problem("tenantId", "is required with $what.")
                if (clientId == null) problem("clientId", "is required with $what.")
            } else if (clientId != null) {
                problem("clientId", "is used with '$P.client-secret' or '$P.certificate-path'; for a user-assigned managed identity set '$P.managed-identity-client-id'.")
            }
            if (certificate != null) certificateProblem(certificate)?.let { problem("certificatePath", it) }
            if (certificatePassword != null) {
                if (certificate == null) {
                    problem("certificatePassword", "is the password of a PFX certificate: set '$P.certificate-path' too.")
                } else if (isPem(certificate)) {
                    problem("certificatePassword", "applies to PFX certificates; a PEM certificate is read without a password.")
                }
            }
            authorityHost?.let { host ->
                authorityHostProblem(host)?.let { problem("authorityHost", it) }
                if (managed) problem("authorityHost", "does not apply to a managed identity.")
            }
            if (tenantId != null && managed) problem("tenantId", "does not apply to a managed identity, which signs in to its own tenant.")
            if (authorityHost != null && kind(credential) == null) {
                problem("authorityHost", "is used with '$P.client-secret', '$P.certificate-path' or '$P.tenant-id'.")
            }
        }
    }

    private fun certificateProblem(path: String): String? {
        if (PEM.none { path.lowercase().endsWith(it) } && PFX.none { path.lowercase().endsWith(it) }) {
            return "must name a .pem, .pfx or .p12 file."
        }
        val file = try {
            Path.of(path)
        } catch (e: InvalidPathException) {
            return "is not a valid path."
        }
        return when {
            !Files.exists(file) -> "names no file (looked for ${file.toAbsolutePath()})."
            !Files.isRegularFile(file) -> "is not a file."
            !Files.isReadable(file) -> "is not readable by this process."
            else -> null
        }
    }

    private fun authorityHostProblem(host: String): String? {
        val uri = try {
            URI(host)
        } catch (e: URISyntaxException) {
            return "must be an https URL such as https://login.microsoftonline.us."
        }
        val bare = uri.scheme.equals("https", ignoreCase = true) && !uri.host.isNullOrEmpty() && uri.rawUserInfo == null &&
            uri.rawQuery == null && uri.rawFragment == null && (uri.rawPath.isNullOrEmpty() || uri.rawPath == "/")
        return if (bare) null else "must be an https URL with a host and nothing else, such as https://login.microsoftonline.us."
    }
}

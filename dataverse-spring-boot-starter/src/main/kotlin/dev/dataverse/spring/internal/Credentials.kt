package dev.dataverse.spring.internal

import com.azure.core.credential.TokenCredential
import com.azure.identity.ClientCertificateCredentialBuilder
import com.azure.identity.ClientSecretCredentialBuilder
import com.azure.identity.DefaultAzureCredentialBuilder
import com.azure.identity.ManagedIdentityCredentialBuilder
import dev.dataverse.DataverseClient
import dev.dataverse.spring.DataverseProperties
import org.slf4j.LoggerFactory
import org.springframework.beans.factory.BeanFactory
import org.springframework.util.ClassUtils

/**
 * Chooses the client's credentials, in this order:
 * 1. a `TokenCredential` bean of the application;
 * 2. the `dataverse.credential.*` properties, as an azure-identity credential ([CredentialSettings]);
 * 3. the `dataverse.token` property (development);
 * 4. `DefaultAzureCredential` when azure-identity is on the classpath.
 *
 * A fixed token set on purpose wins over the default credential chain, which would otherwise always apply once
 * azure-identity is present. Credential properties without azure-identity fail startup ([AzureIdentityMissingException])
 * rather than fall through to another choice.
 */
internal object Credentials {
    private val log = LoggerFactory.getLogger(Credentials::class.java)

    /**
     * Applies the credentials to [builder], or returns a description of what is missing; [loader] is the context's.
     *
     * @throws AzureIdentityMissingException when credential properties are set and azure-identity is not on the classpath.
     */
    fun apply(builder: DataverseClient.Builder, properties: DataverseProperties, beans: BeanFactory, loader: ClassLoader?): String? {
        if (ClassUtils.isPresent(TOKEN_CREDENTIAL, loader)) {
            Azure.credentialBean(beans)?.let {
                builder.credential(it)
                return null
            }
        }
        val kind = CredentialSettings.kind(properties.credential)
        if (kind != null) {
            if (!ClassUtils.isPresent(DEFAULT_AZURE_CREDENTIAL, loader)) throw AzureIdentityMissingException(kind)
            builder.credential(fromProperties(kind, properties.credential))
            log.info("Dataverse credentials: {}", describe(kind, properties.credential))
            return null
        }
        properties.token?.let {
            builder.token(it)
            return null
        }
        if (ClassUtils.isPresent(DEFAULT_AZURE_CREDENTIAL, loader)) {
            Azure.defaultCredential(builder)
            return null
        }
        return "No Dataverse credentials: define a com.azure.core.credential.TokenCredential bean, set 'dataverse.credential.*' " +
            "properties or add com.azure:azure-identity (DefaultAzureCredential), or set 'dataverse.token' for development."
    }

    /** The azure-identity credential [credential] describes as [kind]; azure-identity must be on the classpath. */
    fun fromProperties(kind: CredentialSettings.Kind, credential: DataverseProperties.Credential): TokenCredential =
        Azure.fromProperties(kind, credential)

    /** What a log line may say of the credential: its kind and identifiers, never a secret. */
    fun describe(kind: CredentialSettings.Kind, credential: DataverseProperties.Credential): String = buildString {
        append(kind.description)
        credential.clientId?.let { append(", application ").append(it) }
        credential.managedIdentityClientId?.let { append(", client id ").append(it) }
        credential.tenantId?.let { append(", tenant ").append(it) }
        credential.authorityHost?.let { append(", authority ").append(it) }
    }

    /** Loaded only when azure-core (and, for the builders, azure-identity) is present. */
    private object Azure {
        fun credentialBean(beans: BeanFactory): TokenCredential? = beans.getBeanProvider(TokenCredential::class.java).getIfUnique()

        fun defaultCredential(builder: DataverseClient.Builder) {
            builder.credential(DefaultAzureCredentialBuilder().build())
        }

        fun fromProperties(kind: CredentialSettings.Kind, c: DataverseProperties.Credential): TokenCredential = when (kind) {
            CredentialSettings.Kind.CLIENT_SECRET -> ClientSecretCredentialBuilder()
                .tenantId(c.tenantId).clientId(c.clientId).clientSecret(c.clientSecret)
                .apply { c.authorityHost?.let { authorityHost(it) } }
                .build()
            CredentialSettings.Kind.CERTIFICATE -> ClientCertificateCredentialBuilder()
                .tenantId(c.tenantId).clientId(c.clientId)
                .apply {
                    val path = c.certificatePath!!
                    if (CredentialSettings.isPem(path)) {
                        pemCertificate(path)
                    } else {
                        pfxCertificate(path)
                        c.certificatePassword?.let { clientCertificatePassword(it) }
                    }
                    c.authorityHost?.let { authorityHost(it) }
                }
                .build()
            CredentialSettings.Kind.MANAGED_IDENTITY -> ManagedIdentityCredentialBuilder()
                .apply { c.managedIdentityClientId?.let { clientId(it) } }
                .build()
            CredentialSettings.Kind.DEFAULT_IN_TENANT -> DefaultAzureCredentialBuilder()
                .tenantId(c.tenantId)
                .apply { c.authorityHost?.let { authorityHost(it) } }
                .build()
        }
    }

    private const val TOKEN_CREDENTIAL = "com.azure.core.credential.TokenCredential"
    const val DEFAULT_AZURE_CREDENTIAL = "com.azure.identity.DefaultAzureCredentialBuilder"
}

package dev.dataverse.spring.internal

import com.azure.core.credential.TokenCredential
import com.azure.identity.DefaultAzureCredentialBuilder
import dev.dataverse.DataverseClient
import org.springframework.beans.factory.BeanFactory
import org.springframework.util.ClassUtils

/**
 * Chooses the client's credentials: a `TokenCredential` bean of the application; else the `dataverse.token` property
 * (development); else `DefaultAzureCredential` when azure-identity is on the classpath. A fixed token set on purpose
 * wins over the default credential chain, which would otherwise always apply once azure-identity is present.
 */
internal object Credentials {
    /** Applies the credentials to [builder], or returns a description of what is missing; [loader] is the context's. */
    fun apply(builder: DataverseClient.Builder, token: String?, beans: BeanFactory, loader: ClassLoader?): String? {
        if (ClassUtils.isPresent(TOKEN_CREDENTIAL, loader)) {
            Azure.credentialBean(beans)?.let {
                builder.credential(it)
                return null
            }
        }
        if (token != null) {
            builder.token(token)
            return null
        }
        if (ClassUtils.isPresent(DEFAULT_AZURE_CREDENTIAL, loader)) {
            Azure.defaultCredential(builder)
            return null
        }
        return "No Dataverse credentials: define a com.azure.core.credential.TokenCredential bean, add com.azure:azure-identity " +
            "(DefaultAzureCredential), or set 'dataverse.token' for development."
    }

    /** Loaded only when azure-core is present. */
    private object Azure {
        fun credentialBean(beans: BeanFactory): TokenCredential? = beans.getBeanProvider(TokenCredential::class.java).getIfUnique()

        fun defaultCredential(builder: DataverseClient.Builder) {
            builder.credential(DefaultAzureCredentialBuilder().build())
        }
    }

    private const val TOKEN_CREDENTIAL = "com.azure.core.credential.TokenCredential"
    private const val DEFAULT_AZURE_CREDENTIAL = "com.azure.identity.DefaultAzureCredentialBuilder"
}

package dev.dataverse.spring.internal

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer
import org.springframework.boot.diagnostics.FailureAnalysis

/**
 * `dataverse.credential.*` properties are set, but azure-identity, which builds the credential they describe, is not on
 * the classpath. Startup fails rather than fall back to another credential (a fixed token, or none).
 */
internal class AzureIdentityMissingException(val kind: CredentialSettings.Kind) : IllegalStateException(
    "The 'dataverse.credential.*' properties ask for ${kind.description}, which $ARTIFACT builds, but it is not on the " +
        "classpath (${Credentials.DEFAULT_AZURE_CREDENTIAL} cannot be loaded). Add $ARTIFACT, or remove the properties.",
) {
    companion object {
        const val ARTIFACT = "com.azure:azure-identity"
    }
}

/** Tells, at a failed startup, which dependency to add: Spring Boot prints this instead of the stack trace. */
internal class AzureIdentityMissingFailureAnalyzer : AbstractFailureAnalyzer<AzureIdentityMissingException>() {
    override fun analyze(rootFailure: Throwable, cause: AzureIdentityMissingException): FailureAnalysis = FailureAnalysis(
        "The 'dataverse.credential.*' properties ask for ${cause.kind.description}, but azure-identity " +
            "(${AzureIdentityMissingException.ARTIFACT}), which builds it, is not on the classpath.",
        "Add azure-identity to the application's dependencies:\n\n" +
            "    <dependency>\n" +
            "        <groupId>com.azure</groupId>\n" +
            "        <artifactId>azure-identity</artifactId>\n" +
            "    </dependency>\n\n" +
            "(with a version, or the com.azure:azure-sdk-bom; Gradle: implementation(\"${AzureIdentityMissingException.ARTIFACT}\")), " +
            "or remove the 'dataverse.credential.*' properties.",
        cause,
    )
}

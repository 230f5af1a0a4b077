package dev.dataverse.spring.internal

import dev.dataverse.spring.DataverseProperties

/**
 * The starter's secret properties: the fixed token, a client secret and a certificate's password. They are masked by the
 * actuator's `env` and `configprops` endpoints ([DataverseSanitizingFunction]) and never quoted by a validation failure
 * ([FieldErrors]).
 */
internal object Secrets {
    /** What Spring Boot's actuator shows in place of a sanitized value. */
    const val MASKED = "******"

    /** The secret properties, by their path in [DataverseProperties]. */
    val FIELDS: Set<String> = setOf("token", "credential.clientSecret", "credential.certificatePassword")

    /** The same names as a key may spell them (`dataverse.credential.client-secret`, `DATAVERSE_CREDENTIAL_CLIENTSECRET`...). */
    private val KEYS: Set<String> = FIELDS.mapTo(HashSet()) { normalize("${DataverseProperties.PREFIX}.$it") }

    fun isSecretField(field: String): Boolean = field in FIELDS

    /**
     * Whether [key] names a secret property in any of the forms Spring Boot's relaxed binding accepts: kebab case, camel
     * case, an environment variable (upper case with underscores), or with underscores in place of dashes.
     */
    fun isSecretKey(key: String): Boolean = normalize(key) in KEYS

    /** The secret values configured in [properties]. */
    fun values(properties: DataverseProperties): List<String> = listOfNotNull(
        properties.token,
        properties.credential.clientSecret,
        properties.credential.certificatePassword,
    ).filter { it.isNotEmpty() }

    /** [message] without any of [secrets] (see [Redaction]); a fallback text when nothing is left. */
    fun redact(message: String?, secrets: List<String>): String = Redaction.redact(message, secrets) ?: "invalid value"

    private fun normalize(key: String): String = key.filter { it.isLetterOrDigit() }.lowercase()
}

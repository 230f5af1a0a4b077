package dev.dataverse.spring.internal

import org.springframework.boot.actuate.endpoint.SanitizableData
import org.springframework.boot.actuate.endpoint.SanitizingFunction

/**
 * Masks the starter's secrets in the actuator's `env` and `configprops` endpoints, whatever their `show-values` setting
 * (`ALWAYS` and `WHEN_AUTHORIZED` show every other value in clear): the secret properties themselves under any spelling
 * of their names ([Secrets.isSecretKey]: `dataverse.token`, `DATAVERSE_TOKEN`, `dataverse.credential.clientSecret`...),
 * and any other property that holds one of the configured secret values, such as the environment variable a
 * `dataverse.token=${MY_TOKEN}` placeholder reads.
 *
 * A secret shorter than [MIN_CONTAINED] characters masks only values equal to it: searching for it inside other values
 * would mask unrelated ones.
 */
internal class DataverseSanitizingFunction(private val secretValues: () -> List<String>) : SanitizingFunction {
    override fun apply(data: SanitizableData): SanitizableData {
        val value = data.value ?: return data
        if (Secrets.isSecretKey(data.key)) return data.withValue(SanitizableData.SANITIZED_VALUE)
        if (value !is CharSequence) return data
        val text = value.toString()
        val holdsSecret = secretValues().any { secret -> text == secret || (secret.length >= MIN_CONTAINED && secret in text) }
        return if (holdsSecret) data.withValue(SanitizableData.SANITIZED_VALUE) else data
    }

    private companion object {
        const val MIN_CONTAINED = 8
    }
}

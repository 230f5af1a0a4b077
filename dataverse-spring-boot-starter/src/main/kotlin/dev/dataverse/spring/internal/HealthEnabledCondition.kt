package dev.dataverse.spring.internal

import org.springframework.boot.autoconfigure.condition.ConditionOutcome
import org.springframework.boot.autoconfigure.condition.SpringBootCondition
import org.springframework.context.annotation.ConditionContext
import org.springframework.core.type.AnnotatedTypeMetadata

/**
 * `management.health.dataverse.enabled`, else `management.health.defaults.enabled`, else on: the rule of Spring Boot's
 * own `@ConditionalOnEnabledHealthIndicator`, whose class moved between Boot 3 and Boot 4 (so neither can be named here).
 */
internal class HealthEnabledCondition : SpringBootCondition() {
    override fun getMatchOutcome(context: ConditionContext, metadata: AnnotatedTypeMetadata): ConditionOutcome {
        val environment = context.environment
        environment.getProperty(PROPERTY, Boolean::class.javaObjectType)?.let {
            return ConditionOutcome(it, "$PROPERTY is $it")
        }
        val defaults = environment.getProperty(DEFAULTS, Boolean::class.javaObjectType) ?: true
        return ConditionOutcome(defaults, "$PROPERTY is not set; $DEFAULTS is $defaults")
    }

    companion object {
        const val PROPERTY = "management.health.dataverse.enabled"
        const val DEFAULTS = "management.health.defaults.enabled"
    }
}

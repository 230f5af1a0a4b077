package dev.dataverse.spring.internal

import org.springframework.boot.health.contributor.Health
import org.springframework.boot.health.contributor.HealthIndicator

/** The Spring Boot 4 health indicator (`org.springframework.boot.health`) over [DataverseHealthCheck]. */
internal class DataverseHealthIndicator(private val check: DataverseHealthCheck) : HealthIndicator {
    /** The last result and its Health: a cached result answers with the same object. */
    @Volatile
    private var last: Pair<HealthResult, Health>? = null

    override fun health(): Health {
        val result = check.health()
        last?.let { (seen, health) -> if (seen === result) return health }
        val builder = if (result.status == HealthResult.Status.UP) Health.up() else Health.down()
        return builder.withDetails(result.details).build().also { last = result to it }
    }

    override fun toString(): String = "DataverseHealthIndicator"
}

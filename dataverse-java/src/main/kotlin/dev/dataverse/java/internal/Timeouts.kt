package dev.dataverse.java.internal

import dev.dataverse.InvalidInputException
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/** A Java timeout argument as a Kotlin duration, refusing the ones that make no sense before anything is sent. */
internal fun toKotlinTimeout(timeout: java.time.Duration): Duration {
    if (timeout.isNegative || timeout.isZero) throw InvalidInputException("'timeout' must be positive, but was $timeout.")
    return timeout.toKotlinDuration()
}

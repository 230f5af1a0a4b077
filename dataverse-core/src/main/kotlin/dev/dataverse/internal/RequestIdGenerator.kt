package dev.dataverse.internal

import java.util.UUID
import java.util.concurrent.ThreadLocalRandom

/**
 * New `x-ms-client-request-id` and `x-ms-correlation-id` values: random (version 4) UUIDs from the thread's own random
 * generator. They must be unique, not unguessable — they name an exchange in logs and support cases and protect nothing —
 * so they need not come from `UUID.randomUUID()`, whose `SecureRandom` costs a system-wide lock and a read of the
 * kernel's entropy pool per id, four times per create + get.
 */
internal object RequestIdGenerator {
    fun next(): String {
        val random = ThreadLocalRandom.current()
        val high = (random.nextLong() and VERSION_MASK.inv()) or VERSION_4
        val low = (random.nextLong() and VARIANT_MASK.inv()) or VARIANT_IETF
        return UUID(high, low).toString()
    }

    private const val VERSION_MASK = 0xF000L
    private const val VERSION_4 = 0x4000L
    private const val VARIANT_MASK = -0x4000000000000000L // the two top bits
    private const val VARIANT_IETF = Long.MIN_VALUE // 10xx...
}

package dev.dataverse.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.UUID

class RequestIdGeneratorSpec : FunSpec({
    test("ids are version 4, IETF variant UUIDs, in the canonical form, and do not repeat") {
        val ids = List(10_000) { RequestIdGenerator.next() }
        ids.toSet().size shouldBe ids.size
        for (id in ids) {
            val uuid = UUID.fromString(id)
            uuid.version() shouldBe 4
            uuid.variant() shouldBe 2
            uuid.toString() shouldBe id
        }
    }
})

package com.example.inventory

import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * The library under kotest's kotlinx-coroutines, with one CPU visible: the emulator starts, and the client's suspend
 * calls and paged Flow work. A version mismatch fails here with a NoSuchMethodError.
 */
class InventorySpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = DataverseClient {
        environmentUrl(emulator.baseUrl)
        token("any")
    }
    afterSpec {
        client.close()
        emulator.close()
    }

    test("products added are read back and listed across pages") {
        val inventory = Inventory(client)
        val id = inventory.add("Widget", 12)
        inventory.add("Gadget", 3)
        inventory.add("Sold out", 0)
        inventory.add("Gizmo", 7)

        inventory.stockOf(id) shouldBe 12
        inventory.namesInStock() shouldBe listOf("Gadget", "Gizmo", "Widget")
        emulator.recordCount("account") shouldBe 4
    }
})

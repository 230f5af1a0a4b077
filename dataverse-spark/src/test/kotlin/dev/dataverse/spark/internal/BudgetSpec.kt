package dev.dataverse.spark.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe

class BudgetSpec : FunSpec({
    test("reads plan at most as many partitions as the budget lets run at once (one request each)") {
        Budget.readPartitions(requested = 8, slots = 4, maxConcurrency = 52) shouldBe 8
        Budget.readPartitions(requested = 100, slots = 400, maxConcurrency = 40) shouldBe 40
        Budget.readPartitions(requested = null, slots = 16, maxConcurrency = 52) shouldBe 16
        Budget.readPartitions(requested = null, slots = 200, maxConcurrency = 52) shouldBe 52
    }

    test("share × tasks that can run at once never exceeds the budget, however many executors there are") {
        for (budget in listOf(1, 2, 7, 52, 104, 500)) {
            for (slots in listOf(1, 2, 4, 16, 64, 256)) {
                for (inputPartitions in listOf(1, 3, 8, 200)) {
                    val repartitioned = Budget.writePartitions(null, slots, budget)
                    val partitions = if (repartitioned > 0) repartitioned else inputPartitions
                    val share = Budget.writeShare(partitions, slots, budget)
                    share * minOf(partitions, slots) shouldBeLessThanOrEqual budget
                    share shouldBeLessThanOrEqual 52
                }
            }
        }
    }

    test("a budget below the task slots repartitions the write; an explicit number is capped at the budget") {
        Budget.writePartitions(requested = null, slots = 64, maxConcurrency = 20) shouldBe 20
        Budget.writePartitions(requested = null, slots = 8, maxConcurrency = 52) shouldBe 0
        Budget.writePartitions(requested = 100, slots = 8, maxConcurrency = 52) shouldBe 52
        Budget.writeShare(partitions = 4, slots = 4, maxConcurrency = 8) shouldBe 2
        Budget.writeShare(partitions = 2, slots = 16, maxConcurrency = 500) shouldBe 52
    }

    test("tasks are dealt to the application users in turn") {
        (0 until 6).map { Budget.userOf(it, 3) } shouldBe listOf(0, 1, 2, 0, 1, 2)
    }
})

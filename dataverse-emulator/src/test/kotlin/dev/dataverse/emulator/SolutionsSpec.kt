package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe

/**
 * `MSCRM.SolutionUniqueName` names the unmanaged solution new schema goes into (Learn: "Create and update table
 * definitions using the Web API"). The emulator has the default solution `Default` and the solutions it was told about;
 * a name breaking the service's rule is refused with InvalidSolutionUniqueName `0x8004F002` and Learn's message
 * (reference/web-service-error-codes), a solution it lacks as one that does not exist (the code is a guess, see
 * Solutions). Either way nothing is created.
 */
class SolutionsSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(solutions = setOf("Contoso_Core")))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    suspend fun createTable(schema: String, solution: String) =
        client.post("EntityDefinitions", tableMetadata(schema), mapOf("MSCRM.SolutionUniqueName" to solution))

    fun tableExists(logicalName: String) = runCatching { emulator.recordCount(logicalName) }.isSuccess

    test("a solution the emulator lacks is refused and nothing is created") {
        val answer = createTable("new_Lost", "Fabrikam_Missing")
        answer.status shouldBe 404
        answer.errorCode shouldBe "0x80040217"
        tableExists("new_lost") shouldBe false
        emulator.solutionComponents("Fabrikam_Missing").shouldBeEmpty()
    }

    test("a malformed solution name gets the service's InvalidSolutionUniqueName error, for columns and keys too") {
        val answer = createTable("new_Bad", "has space")
        answer.status shouldBe 400
        answer.errorCode shouldBe "0x8004F002"
        answer.errorMessage shouldBe "Invalid character specified for solution unique name. Only characters within the ranges [A-Z], " +
            "[a-z], [0-9] or _ are allowed. The first character may only be in the ranges [A-Z], [a-z] or _."
        tableExists("new_bad") shouldBe false
        val column = """{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Code","MaxLength":10,
            "DisplayName":{"LocalizedLabels":[{"Label":"Code","LanguageCode":1033}]},"RequiredLevel":{"Value":"None"}}"""
        client.post("EntityDefinitions(LogicalName='account')/Attributes", column, mapOf("MSCRM.SolutionUniqueName" to "9lives")).status shouldBe 400
        client.get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='new_code')").status shouldBe 404
    }

    test("the default solution, the solutions of the options (in any case) and those added later are accepted") {
        createTable("new_Plain", "Default").status shouldBe 204
        createTable("new_Core", "contoso_core").status shouldBe 204
        emulator.solutionComponents("Contoso_Core") shouldContainExactly listOf("table:new_core")
        createTable("new_Later", "Contoso_Later").status shouldBe 404
        emulator.addSolution("Contoso_Later") shouldBe true
        emulator.addSolution("CONTOSO_LATER") shouldBe false
        createTable("new_Later", "Contoso_Later").status shouldBe 204
        emulator.solutions shouldContainExactly listOf("Contoso_Core", "Contoso_Later", "Default")
        // Solutions are schema-like: a reset keeps them.
        emulator.reset()
        emulator.solutions shouldContainExactly listOf("Contoso_Core", "Contoso_Later", "Default")
    }

    test("reads are not checked, and names the service would refuse cannot be added") {
        client.get("EntityDefinitions(LogicalName='account')", mapOf("MSCRM.SolutionUniqueName" to "Nowhere")).status shouldBe 200
        shouldThrow<IllegalArgumentException> { emulator.addSolution("has-dash") }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(solutions = setOf("1st")) }
    }

    test("a unique name is at most 65 characters (Learn: Solution table reference, UniqueName MaxLength); a longer one names no solution") {
        emulator.addSolution("S" + "x".repeat(64)) shouldBe true
        shouldThrow<IllegalArgumentException> { emulator.addSolution("S" + "x".repeat(65)) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(solutions = setOf("S" + "x".repeat(65))) }
        createTable("new_Longest", "S" + "x".repeat(64)).status shouldBe 204
        val tooLong = createTable("new_TooLong", "S" + "x".repeat(65))
        tooLong.status shouldBe 404
        tooLong.errorCode shouldBe "0x80040217"
        tableExists("new_toolong") shouldBe false
    }
})

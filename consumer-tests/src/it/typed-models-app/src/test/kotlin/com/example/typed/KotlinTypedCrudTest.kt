package com.example.typed

import com.example.kmodel.Account
import com.example.kmodel.AccountId
import com.example.kmodel.AccountIndustryCode
import com.example.kmodel.AccountState
import com.example.kmodel.NewColors
import com.example.kmodel.NewProject
import com.example.kmodel.eq
import com.example.kmodel.get
import com.example.kmodel.DataverseModels
import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import java.nio.file.Path
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class KotlinTypedCrudTest {
    @Test
    fun `generated Kotlin models run typed CRUD against the emulator`(): Unit = runBlocking {
        val schema = Path.of(System.getProperty("dataverse.schema"))
        DataverseEmulator.start(EmulatorOptions(schema = schema)).use { emulator ->
            DataverseClient { environmentUrl(emulator.baseUrl); token("test") }.use { client ->
                // The emulator has the snapshot's tables from the start; the generated drift check confirms it.
                DataverseModels.verify(client)
                val accounts = client.records.typed(Account)
                val id = AccountId(accounts.create(Account(name = "Consumer", industryCode = AccountIndustryCode.ACCOUNTING)))
                val read = accounts.get(id)
                assertEquals("Consumer", read.name)
                assertEquals(AccountState.ACTIVE, read.stateCode)
                accounts.update(read.copy(numberOfEmployees = 5))
                assertEquals(5, accounts.get(id).numberOfEmployees)

                val projects = client.records.typed(NewProject)
                projects.create(NewProject(newName = "P1", newAccountId = id, newColors = setOf(NewColors.GREEN)))
                val listed = projects.list(NewProject.NEW_ACCOUNTID eq id).toList()
                assertEquals(listOf("P1"), listed.map { it.newName })
                assertEquals(setOf(NewColors.GREEN), listed.single().newColors)
            }
        }
    }
}

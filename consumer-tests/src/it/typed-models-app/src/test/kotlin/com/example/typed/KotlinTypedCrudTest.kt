package com.example.typed

import com.example.kmodel.Account
import com.example.kmodel.AccountId
import com.example.kmodel.AccountIndustryCode
import com.example.kmodel.AccountState
import com.example.kmodel.NewColors
import com.example.kmodel.NewProject
import com.example.kmodel.eq
import com.example.kmodel.get
import dev.dataverse.ChoiceOption
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.TableSpec
import dev.dataverse.emulator.DataverseEmulator
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class KotlinTypedCrudTest {
    @Test
    fun `generated Kotlin models run typed CRUD against the emulator`(): Unit = runBlocking {
        DataverseEmulator.start().use { emulator ->
            DataverseClient { environmentUrl(emulator.baseUrl); token("test") }.use { client ->
                // The snapshot's custom table with every column the model selects (a typed read names them all).
                client.tables.create(
                    TableSpec.builder("new_Project", "Project")
                        .column(ColumnSpec.multiChoice("new_Colors", "Colors", (0..4).map { ChoiceOption(100000000 + it, "Color $it") }))
                        .column(ColumnSpec.choice("new_Phase", "Phase", listOf(ChoiceOption(100000000, "Not started"), ChoiceOption(100000001, "In progress"))))
                        .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
                        .column(ColumnSpec.decimal("new_Budget", "Budget"))
                        .column(ColumnSpec.dateOnly("new_Due", "Due"))
                        .column(ColumnSpec.file("new_Document", "Document"))
                        .column(ColumnSpec.integer("new_Priority", "Priority"))
                        .build(),
                )
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

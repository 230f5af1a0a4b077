package dev.dataverse.samples

import dev.dataverse.EntityReference
import dev.dataverse.samples.model.Account
import dev.dataverse.samples.model.AccountId
import dev.dataverse.samples.model.AccountIndustryCode
import dev.dataverse.samples.model.AccountState
import dev.dataverse.samples.model.Contact
import dev.dataverse.samples.model.ContactId
import dev.dataverse.samples.model.DataverseModels
import dev.dataverse.samples.model.NewColors
import dev.dataverse.samples.model.NewProject
import dev.dataverse.samples.model.NewProjectNewPhase
import dev.dataverse.samples.model.eq
import dev.dataverse.samples.model.get
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import java.math.BigDecimal
import java.time.LocalDate

/**
 * Typed models: the classes generated from schema/dataverse-schema.json (in the build, by dataverse-codegen) used for
 * create, read, update, filtered listing and bulk writes, with typed ids, choices, lookups and multi-select choices,
 * after the generated drift check (`DataverseModels.verify`).
 *
 * Run: `./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.TypedModelsKt`
 */
fun main(): Unit = runBlocking {
    // An emulator is seeded with the snapshot the models were generated from; a real environment must have its tables.
    SampleEnvironment.open(SampleEnvironment.sampleSchema()).use { environment ->
        val client = environment.client
        println("Connected to ${environment.description}")
        // The drift check at start-up: fails naming every difference if the environment lacks what the models rely on.
        DataverseModels.verify(client)
        println("Schema matches the snapshot the models were generated from (${DataverseModels.TABLES.joinToString()})")

        val accounts = client.records.typed(Account)
        val contacts = client.records.typed(Contact)
        val ada = ContactId(contacts.create(Contact(firstName = "Ada", lastName = "Lovelace", birthDate = LocalDate.of(1815, 12, 10))))
        val contoso = AccountId(
            accounts.create(
                Account(name = "Contoso (typed)", industryCode = AccountIndustryCode.CONSULTING, revenue = BigDecimal("125000.00"), primaryContactId = ada),
            ),
        )
        val read = accounts.get(contoso)
        println("Read ${read.name}: ${read.industryCode?.label}, state ${read.stateCode}, primary contact ${read.primaryContactId == ada}")

        accounts.update(read.copy(numberOfEmployees = 42))
        contacts.update(Contact(contactId = ada, parentCustomerId = EntityReference("account", contoso.value)))
        println("Ada works for ${contacts.get(ada).parentCustomerId?.table} ${contacts.get(ada).parentCustomerId?.id == contoso.value}")

        val projects = client.records.typed(NewProject)
        projects.createMany(
            listOf("Apollo", "Gemini", "Mercury").map { name ->
                NewProject(newName = name, newAccountId = contoso, newPhase = NewProjectNewPhase.IN_PROGRESS, newColors = setOf(NewColors.RED, NewColors.BLUE))
            },
        )
        val active = accounts.list((Account.NAME startsWith "Contoso") and (Account.STATECODE eq AccountState.ACTIVE)).toList()
        val ofContoso = projects.list(NewProject.NEW_ACCOUNTID eq contoso).toList()
        println("Active Contoso accounts: ${active.size}; its projects: ${ofContoso.mapNotNull { it.newName }.sorted()}; colors of the first: ${ofContoso.first().newColors}")
    }
}

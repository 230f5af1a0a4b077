package dev.dataverse.codegen

import dev.dataverse.ChoiceOption
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.TableSpec

/**
 * Creates the test snapshot's custom table `new_project` through the client's schema API, as a user would on a fresh
 * environment; nothing when it exists. The choice values are the snapshot's (labels may differ: only values are stored).
 */
object ProjectTable {
    suspend fun ensure(client: DataverseClient) {
        if (client.tables.list().any { it.logicalName == "new_project" }) return
        client.tables.create(
            TableSpec.builder("new_Project", "Project")
                .column(ColumnSpec.string("new_class", "Class"))
                .column(ColumnSpec.multiChoice("new_Colors", "Colors", (0..4).map { ChoiceOption(100000000 + it, "Color $it") }))
                .column(ColumnSpec.choice("new_Phase", "Phase", listOf(ChoiceOption(100000000, "Not started"), ChoiceOption(100000001, "In progress"))))
                .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
                .column(ColumnSpec.decimal("new_Budget", "Budget"))
                .column(ColumnSpec.dateOnly("new_Due", "Due"))
                .column(ColumnSpec.file("new_Document", "Document"))
                .column(ColumnSpec.integer("new_Count", "Count"))
                .build(),
        )
    }
}

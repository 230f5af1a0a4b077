package dev.dataverse.samples

import dev.dataverse.ChoiceOption
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.TableSpec

/**
 * The custom table `new_project` of the sample snapshot (schema/dataverse-schema.json), created through the schema API
 * when the environment does not have it yet, with the snapshot's choice values.
 */
object SampleProjectTable {
    @JvmStatic
    suspend fun ensure(client: DataverseClient) {
        if (client.tables.list().any { it.logicalName == "new_project" }) return
        client.tables.create(
            TableSpec.builder("new_Project", "Project")
                .column(ColumnSpec.multiChoice("new_Colors", "Colors", listOf("Red", "Green", "Blue", "Yellow", "Purple").mapIndexed { i, label -> ChoiceOption(100000000 + i, label) }))
                .column(ColumnSpec.choice("new_Phase", "Phase", listOf(ChoiceOption(100000000, "Not started"), ChoiceOption(100000001, "In progress"))))
                .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
                .column(ColumnSpec.decimal("new_Budget", "Budget"))
                .column(ColumnSpec.dateOnly("new_Due", "Due"))
                .column(ColumnSpec.file("new_Document", "Document"))
                .column(ColumnSpec.integer("new_Priority", "Priority"))
                .build(),
        )
    }
}

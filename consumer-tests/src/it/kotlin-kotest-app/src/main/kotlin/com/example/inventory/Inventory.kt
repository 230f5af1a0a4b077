package com.example.inventory

import dev.dataverse.DataverseClient
import dev.dataverse.ListOptions
import dev.dataverse.where
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import java.util.UUID

/** Products kept as Dataverse accounts, the way a Kotlin service would use the client: suspend calls and a Flow. */
class Inventory(private val dataverse: DataverseClient) {
    suspend fun add(name: String, stock: Int): UUID =
        dataverse.records.create("account", mapOf("name" to name, "numberofemployees" to stock))

    suspend fun stockOf(id: UUID): Int? = dataverse.records.get("account", id).getInt("numberofemployees")

    suspend fun namesInStock(): List<String> =
        dataverse.records.list("account", ListOptions(select = listOf("name"), filter = where { "numberofemployees" gt 0 }, pageSize = 2))
            .map { it.getString("name").orEmpty() }
            .toList()
            .sorted()
}

package dev.dataverse.samples

import dev.dataverse.DataverseClient
import dev.dataverse.EntityReference
import dev.dataverse.MessageRequest
import dev.dataverse.RequestOptions
import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiProperty
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.DataverseEmulator
import kotlinx.coroutines.runBlocking

/**
 * Your own custom API, tested without a tenant: the sample registers `sample_ScoreAccount` in an embedded emulator with a
 * handler that plays its plug-in, then calls it through the client like any message — bound to a record, with typed
 * parameters — together with standard messages and a call made on behalf of another user.
 *
 * Run with `./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.CustomApisKt`.
 */
fun main(): Unit = runBlocking {
    DataverseEmulator.start().use { emulator ->
        // What the custom API's definition (customapi, customapirequestparameter, customapiresponseproperty) declares.
        emulator.registerCustomApi(
            CustomApi(
                uniqueName = "sample_ScoreAccount",
                bindingType = CustomApiBindingType.ENTITY,
                boundEntityLogicalName = "account",
                requestParameters = listOf(
                    CustomApiParameter("Weight", CustomApiType.INTEGER),
                    CustomApiParameter("Reviewer", CustomApiType.ENTITY_REFERENCE, isOptional = true),
                ),
                responseProperties = listOf(CustomApiProperty("Score", CustomApiType.INTEGER), CustomApiProperty("ScoredBy", CustomApiType.GUID)),
            ) { call -> mapOf("Score" to 10 * call.parameters.getValue("Weight") as Int, "ScoredBy" to call.userId) },
        )

        DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("emulator")
        }.use { client ->
            val account = client.records.create("account", mapOf("name" to "Contoso"))
            val scored = client.messages.execute(
                MessageRequest.action("sample_ScoreAccount") {
                    boundTo("account", account)
                    parameter("Weight", 4)
                    parameter("Reviewer", EntityReference("account", account))
                },
            )
            println("sample_ScoreAccount answered ${scored.toRecord().getInt("Score")} (scored by ${scored.toRecord().getUuid("ScoredBy")})")

            // The same call on behalf of another user: the handler sees the impersonated user.
            val reviewer = client.records.create("systemuser", mapOf("fullname" to "Riley Reviewer"))
            val asReviewer = client.withOptions(RequestOptions(callerId = reviewer, tag = "custom-api-sample"))
            val again = asReviewer.messages.execute(MessageRequest.action("sample_ScoreAccount") { boundTo("account", account); parameter("Weight", 1) })
            println("on behalf of Riley: scored by ${again.toRecord().getUuid("ScoredBy")} (Riley is $reviewer)")

            println("RetrieveTotalRecordCount: ${client.messages.retrieveTotalRecordCount(listOf("account", "systemuser"))}")
            println("RetrieveVersion: ${client.messages.retrieveVersion()}")
        }
    }
}

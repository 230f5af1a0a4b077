package dev.dataverse.codegen

import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiReference
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.DataverseEmulator
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import java.util.concurrent.atomic.AtomicInteger

/**
 * The custom APIs of src/test/resources/test-snapshot.json, registered on an emulator with handlers that derive every
 * response property from the request, so a parameter sent or read under the wrong name or type changes the answer.
 * [register] returns the number of handler calls, to prove that a rejected request never reached the service.
 */
object TestCustomApis {
    @JvmStatic
    fun register(emulator: DataverseEmulator): AtomicInteger {
        val calls = AtomicInteger()
        emulator.registerCustomApi(
            CustomApi.builder("new_ScoreLead")
                .requestParameter("Text", CustomApiType.STRING)
                .requestParameter("Weight", CustomApiType.INTEGER)
                .optionalRequestParameter("Amount", CustomApiType.MONEY)
                .optionalRequestParameter("Due", CustomApiType.DATE_TIME)
                .optionalRequestParameter("Tags", CustomApiType.STRING_ARRAY)
                .optionalRequestParameter("Owner", CustomApiType.ENTITY_REFERENCE)
                .optionalRequestParameter("Contact", CustomApiType.ENTITY)
                .optionalRequestParameter("Items", CustomApiType.ENTITY_COLLECTION)
                .optionalRequestParameter("Rate", CustomApiType.FLOAT)
                .optionalRequestParameter("Flag", CustomApiType.BOOLEAN)
                .optionalRequestParameter("Key", CustomApiType.GUID)
                .optionalRequestParameter("class", CustomApiType.STRING)
                .optionalRequestParameter("Level", CustomApiType.PICKLIST)
                .optionalRequestParameter("Factor", CustomApiType.DECIMAL)
                .responseProperty("Echo", CustomApiType.STRING)
                .responseProperty("Score", CustomApiType.INTEGER)
                .responseProperty("Total", CustomApiType.MONEY)
                .responseProperty("When", CustomApiType.DATE_TIME)
                .responseProperty("Labels", CustomApiType.STRING_ARRAY)
                .responseProperty("Reference", CustomApiType.ENTITY_REFERENCE)
                .responseProperty("Id", CustomApiType.GUID)
                .responseProperty("Ratio", CustomApiType.FLOAT)
                .responseProperty("Ok", CustomApiType.BOOLEAN)
                .responseProperty("Record", CustomApiType.ENTITY)
                .responseProperty("Records", CustomApiType.ENTITY_COLLECTION)
                .responseProperty("Level", CustomApiType.PICKLIST)
                .responseProperty("Factor", CustomApiType.DECIMAL)
                .handler { call ->
                    calls.incrementAndGet()
                    val p = call.parameters
                    mapOf(
                        "Echo" to p["Text"].toString() + (p["class"]?.let { "/$it" } ?: ""),
                        "Score" to (p["Weight"] as Int) * 2,
                        "Total" to (p["Amount"] as BigDecimal?)?.multiply(BigDecimal(2)),
                        "When" to (p["Due"] as Instant?)?.plus(Duration.ofDays(1)),
                        "Labels" to (p["Tags"] as List<*>?)?.reversed(),
                        "Reference" to p["Owner"] as CustomApiReference?,
                        "Id" to p["Key"],
                        "Ratio" to (p["Rate"] as Double?)?.div(2),
                        "Ok" to (p["Flag"] as Boolean?)?.not(),
                        "Record" to p["Contact"],
                        "Records" to p["Items"],
                        "Level" to p["Level"],
                        "Factor" to (p["Factor"] as BigDecimal?)?.negate(),
                    )
                }
                .build(),
        )
        emulator.registerCustomApi(
            CustomApi.builder("new_FindNames").function()
                .requestParameter("Query", CustomApiType.STRING)
                .optionalRequestParameter("Limit", CustomApiType.INTEGER)
                .responseProperty("Count", CustomApiType.INTEGER)
                .responseProperty("Names", CustomApiType.STRING_ARRAY)
                .handler { call ->
                    calls.incrementAndGet()
                    val names = (1..(call.parameters["Limit"] as Int? ?: 2)).map { "${call.parameters["Query"]}-$it" }
                    mapOf("Count" to names.size, "Names" to names)
                }
                .build(),
        )
        emulator.registerCustomApi(
            CustomApi.builder("new_Archive").boundToRecord("account")
                .requestParameter("Reason", CustomApiType.STRING)
                .responseProperty("AccountId", CustomApiType.GUID)
                .responseProperty("Reason", CustomApiType.STRING)
                .handler { call ->
                    calls.incrementAndGet()
                    mapOf("AccountId" to call.target!!.id, "Reason" to "archived: ${call.parameters["Reason"]}")
                }
                .build(),
        )
        emulator.registerCustomApi(
            CustomApi.builder("new_CountAccounts").function().boundToCollection("account")
                .responseProperty("Count", CustomApiType.INTEGER)
                .handler { call ->
                    calls.incrementAndGet()
                    mapOf("Count" to call.boundTable!!.length)
                }
                .build(),
        )
        emulator.registerCustomApi(
            CustomApi.builder("new_Touch")
                .handler {
                    calls.incrementAndGet()
                    emptyMap()
                }
                .build(),
        )
        return calls
    }
}

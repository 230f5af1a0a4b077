package dev.dataverse.spring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.springframework.beans.BeanUtils

/** The IDE metadata, written by hand, must name exactly the properties that bind, with their defaults. */
class ConfigurationMetadataSpec : FunSpec({
    val metadata = Json.parseToJsonElement(
        javaClass.getResource("/META-INF/spring-configuration-metadata.json")!!.readText(),
    ).jsonObject
    val documented = metadata.getValue("properties").jsonArray.associate {
        it.jsonObject.getValue("name").jsonPrimitive.content to it.jsonObject["defaultValue"]?.jsonPrimitive?.content
    }

    fun kebab(name: String) = name.replace(Regex("([a-z0-9])([A-Z])"), "$1-$2").lowercase()

    fun bound(type: Class<*>, instance: Any, prefix: String): Map<String, Any?> =
        BeanUtils.getPropertyDescriptors(type).filter { it.name != "class" }.flatMap { property ->
            val value = property.readMethod.invoke(instance)
            val name = "$prefix.${kebab(property.name)}"
            if (property.writeMethod == null && value != null) bound(value.javaClass, value, name).toList() else listOf(name to value)
        }.toMap()

    /** Properties the starter reads that are not fields of DataverseProperties, with their documented defaults. */
    val read = mapOf("management.health.dataverse.enabled" to "true")

    test("every bindable property is documented, and nothing else but the properties the starter reads itself") {
        val properties = bound(DataverseProperties::class.java, DataverseProperties(), "dataverse")
        documented.keys shouldBe properties.keys + read.keys
    }

    test("the health indicator's switch is documented with Spring Boot's default, and its condition reads it") {
        for ((name, default) in read) documented[name] shouldBe default
        dev.dataverse.spring.internal.HealthEnabledCondition.PROPERTY shouldBe "management.health.dataverse.enabled"
    }

    test("every documented property and group has a description") {
        for (kind in listOf("properties", "groups")) {
            for (entry in metadata.getValue(kind).jsonArray) {
                val name = entry.jsonObject.getValue("name").jsonPrimitive.content
                (entry.jsonObject["description"]?.jsonPrimitive?.content.isNullOrBlank()) shouldBe false
                name.isNotEmpty() shouldBe true
            }
        }
    }

    test("documented defaults are the real ones") {
        val properties = bound(DataverseProperties::class.java, DataverseProperties(), "dataverse")
        for ((name, default) in documented) {
            if (default == null || name in read) continue
            val actual = properties.getValue(name)
            val expected: Any = when (actual) {
                is java.time.Duration -> org.springframework.boot.convert.DurationStyle.detectAndParse(default)
                is Enum<*> -> default.uppercase()
                else -> default
            }
            (if (actual is Enum<*>) actual.name else actual.toString()) shouldBe expected.toString()
        }
    }
})

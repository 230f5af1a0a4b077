package dev.dataverse.spring

import dev.dataverse.DataverseRecord
import dev.dataverse.java.DataverseBlockingClient
import dev.dataverse.spring.internal.LibraryVersions
import dev.dataverse.spring.internal.LibraryVersionsException
import dev.dataverse.spring.internal.LibraryVersionsFailureAnalyzer
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.micrometer.observation.ObservationRegistry
import org.springframework.beans.factory.getBean
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import tools.jackson.databind.json.JsonMapper

/** The starter's parts that meet Spring Boot's own: observations and meters, Jackson, the health switch, version checks. */
class IntegrationsSpec : FunSpec({
    val emulated = ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataverseAutoConfiguration::class.java))
        .withPropertyValues("dataverse.emulator.enabled=true")

    /**
     * What Spring Boot's actuator defines: a meter registry, a meter observation handler, and an observation registry
     * with that handler, which times every observation.
     */
    fun ApplicationContextRunner.withActuator(meters: SimpleMeterRegistry): ApplicationContextRunner {
        val handler = DefaultMeterObservationHandler(meters)
        return withBean(MeterRegistry::class.java, { meters })
            .withBean(DefaultMeterObservationHandler::class.java, { handler })
            .withBean(ObservationRegistry::class.java, { ObservationRegistry.create().apply { observationConfig().observationHandler(handler) } })
    }

    context("observations") {
        test("with an ObservationRegistry, each call is an observation its meter handler times; Micrometer adds counters and gauges, not a second timer") {
            val meters = SimpleMeterRegistry()
            emulated.withActuator(meters).run { context ->
                context.containsBean("dataverseObservationInstrumentation") shouldBe true
                context.getBean<DataverseBlockingClient>().whoAmI()
            }
            // The meter handler's timer (it adds the "error" tag), one series only.
            meters.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").tag("error", "none").timer().count() shouldBe 1
            meters.find("dataverse.client.operations").timers().size shouldBe 1
            meters.get("dataverse.client.requests").tag("http.request.method", "GET").timer().count() shouldBe 1
            meters.find("dataverse.client.requests.in.flight").gauges().size shouldBe 1
        }

        test("an ObservationRegistry without a meter handler (no metrics module) leaves the timing to the Micrometer binding") {
            val meters = SimpleMeterRegistry()
            emulated.withBean(MeterRegistry::class.java, { meters }).withBean(ObservationRegistry::class.java, { ObservationRegistry.create() }).run { context ->
                context.containsBean("dataverseObservationInstrumentation") shouldBe true
                context.getBean<DataverseBlockingClient>().whoAmI()
            }
            meters.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").tag("outcome", "success").timer().count() shouldBe 1
        }

        test("switched off, or without a registry, the Micrometer binding times calls itself") {
            val meters = SimpleMeterRegistry()
            emulated.withActuator(meters).withPropertyValues("dataverse.observations.enabled=false").run { context ->
                context.containsBean("dataverseObservationInstrumentation") shouldBe false
                context.getBean<DataverseBlockingClient>().whoAmI()
            }
            val timer = meters.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").timer()
            timer.count() shouldBe 1
            timer.id.tags.map { it.key } shouldNotContain "error"
            timer.id.tags.map { it.key } shouldContain "outcome"
        }
    }

    test("Spring Boot's JsonMapper writes a record as the Web API sent it, and reads it back") {
        emulated.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration::class.java)).run { context ->
            val client = context.getBean<DataverseBlockingClient>()
            val record = client.records.get("account", client.records.create("account", mapOf("name" to "Returned by a controller")))
            val mapper = context.getBean<JsonMapper>()
            val json = mapper.writeValueAsString(record)
            json shouldContain "\"@dataverse.table\":\"account\""
            json shouldContain "\"name\":\"Returned by a controller\""
            mapper.readValue(json, DataverseRecord::class.java) shouldBe record
        }
    }

    context("the health indicator's switch, as Spring Boot's own indicators read theirs") {
        test("on by default; off with management.health.dataverse.enabled=false or with the defaults off unless named") {
            emulated.run { it.containsBean("dataverseHealthIndicator") shouldBe true }
            emulated.withPropertyValues("management.health.dataverse.enabled=false").run { it.containsBean("dataverseHealthIndicator") shouldBe false }
            emulated.withPropertyValues("management.health.defaults.enabled=false").run { it.containsBean("dataverseHealthIndicator") shouldBe false }
            emulated.withPropertyValues("management.health.defaults.enabled=false", "management.health.dataverse.enabled=true")
                .run { it.containsBean("dataverseHealthIndicator") shouldBe true }
        }
    }

    context("Kotlin library versions") {
        test("this build's own pass the check") {
            LibraryVersions.found(javaClass.classLoader).forEach { library ->
                (library.found != null) shouldBe true
                library.tooOld shouldBe false
            }
            LibraryVersions.found(javaClass.classLoader).map { it.found } shouldContain KotlinVersion.CURRENT.toString()
        }

        test("versions compare by number, not by text") {
            LibraryVersions.compare("1.10.2", "1.9.0") shouldBe 1
            LibraryVersions.compare("1.8.1", "1.10.2") shouldBe -1
            LibraryVersions.compare("2.2.21", "2.2.21") shouldBe 0
            LibraryVersions.compare("2.2.0-RC", "2.2.0") shouldBe 0
            LibraryVersions.compare("1.9.25", "2.2.21") shouldBe -1
        }

        test("the starter's failure analyzers are registered, so Spring Boot prints them instead of a stack trace") {
            val analyzers = org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation(javaClass.classLoader)
                .load(org.springframework.boot.diagnostics.FailureAnalyzer::class.java, null,
                    org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler.handleMessage { _, _ -> })
                .map { it.javaClass.simpleName }
            for (name in listOf("EmulatorMissingFailureAnalyzer", "AzureIdentityMissingFailureAnalyzer", "LibraryVersionsFailureAnalyzer")) {
                analyzers shouldContain name
            }
        }

        test("Spring Boot 3.5's managed versions fail startup naming them, the Boot version and the properties to set") {
            val found = listOf(
                LibraryVersions.Library("Kotlin (kotlin-stdlib)", "kotlin.version", LibraryVersions.KOTLIN, "1.9.25"),
                LibraryVersions.Library("kotlinx-coroutines", "kotlin-coroutines.version", LibraryVersions.COROUTINES, "1.8.1"),
                LibraryVersions.Library("kotlinx-serialization", "kotlin-serialization.version", LibraryVersions.SERIALIZATION, "1.6.3"),
            )
            val failure = LibraryVersionsException(found, "3.5.7")
            val analysis = LibraryVersionsFailureAnalyzer().analyze(RuntimeException(failure))!!
            analysis.description shouldContain "kotlinx-coroutines: 1.8.1 found, 1.10.2 or newer needed"
            analysis.description shouldContain "Spring Boot 3.5.7"
            analysis.action shouldContain "<kotlin.version>2.2.21</kotlin.version>"
            analysis.action shouldContain "<kotlin-coroutines.version>1.10.2</kotlin-coroutines.version>"
            analysis.action shouldContain "<kotlin-serialization.version>1.9.0</kotlin-serialization.version>"
            failure.message!! shouldContain "Spring Boot 3.5.7"
        }
    }
})

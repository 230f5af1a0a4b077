package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain

class OptionNamesSpec : FunSpec({
    fun check(vararg keys: String) = OptionNames.requireKnown(keys.associate { it.lowercase() to if (it == "provider") "dataverse" else "v" }, keys.associateBy { it.lowercase() })

    test("every documented option is known, in its documented spelling") {
        OptionNames.known.values shouldContain "partitionColumn"
        OptionNames.known.values shouldContain "ignoreNullValues"
        OptionNames.known.values shouldContain "maxChangesPerTrigger"
        OptionNames.known.values shouldNotContain "tokenProvider."
    }

    test("JDBC and other sources' habits are refused with the closest options, in the user's spelling") {
        shouldThrow<InvalidInputException> { check("url", "numPartitions") }.message shouldContain "'numPartitions'; did you mean 'partitions'?"
        shouldThrow<InvalidInputException> { check("fetchsize") }.message shouldContain "no option 'fetchsize'"
        shouldThrow<InvalidInputException> { check("lowerbond") }.message shouldContain "did you mean 'lowerBound'"
        shouldThrow<InvalidInputException> { check("xyzzy") }.message!! shouldNotContain "did you mean"
        OptionNames.suggestions("maxconcurency") shouldBe listOf("maxConcurrency")
        OptionNames.suggestions("concurrency") shouldBe listOf("maxConcurrency", "executorConcurrency")
    }

    test("Spark's own keys, a session catalog's table metadata and token provider options pass") {
        shouldNotThrowAny { check("path", "URL", "tokenProvider.Vault", "TokenProvider.tenant") }
        shouldNotThrowAny { check("provider", "owner", "option.url", "url") }
        // Catalog metadata passes only with the provider Spark stores: elsewhere 'owner' is an unknown option.
        shouldThrow<InvalidInputException> { check("owner") }
    }
})

package dev.dataverse.integration

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.RecordKey
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withContext
import java.time.LocalDate
import kotlin.random.Random

/**
 * 10,000 seeded values — strings full of quotes, `%`, `&`, `#`, `+`, `/`, `?`, non-ASCII and control characters,
 * extreme integers, dates — stored, then used as filter literals and alternate-key values against the emulator: each
 * query finds exactly the record that holds the value, and nothing else.
 */
class LiteralRoundTripIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val random = Random(20261122)
    val alphabet = listOf("'", "''", "%", "%25", "&", "#", "+", "/", "?", "=", ",", "(", ")", "\\", "\"", " ", "é", "東", "🚀", "\t", "\u0001", "\u007f", "a", "Z", "9", "$", "@", ";", ":", "*", "~", "<", ">", "-", "_", ".", "|", "^", "`", "{", "}")

    fun text(maxPieces: Int) = (0 until random.nextInt(1, maxPieces)).joinToString("") { alphabet.random(random) }

    /** Unique ignoring case, because Dataverse compares text case-insensitively. */
    fun uniqueTexts(count: Int, maxPieces: Int, maxLength: Int): List<String> {
        val seen = HashSet<String>()
        val values = ArrayList<String>(count)
        while (values.size < count) {
            val value = text(maxPieces).take(maxLength).trim().ifEmpty { "x" }
            if (seen.add(value.lowercase())) values += value
        }
        return values
    }

    suspend fun <T> parallel(items: List<T>, action: suspend (T) -> Unit) = withContext(Dispatchers.Default) {
        val permits = Semaphore(32)
        coroutineScope { items.map { item -> async { permits.withPermit { action(item) } } }.awaitAll() }
    }

    test("4,000 strings as filter literals and 3,000 as alternate-key values find exactly their record") {
        fixture.ensureAccountNumberKey()
        val names = uniqueTexts(4_000, 30, 160).map { "$it|n" }
        val keys = uniqueTexts(3_000, 12, 20)
        val inputs = names.mapIndexed { i, name -> buildMap { put("name", name); keys.getOrNull(i)?.let { put("accountnumber", it) } } }
        val ids = names.zip(fixture.records.createMany("account", inputs).ids.map { it!! }).toMap()
        parallel(names) { name ->
            val found = fixture.records.list("account", ListOptions(select = listOf("name"), filter = Filter.eq("name", name))).toList()
            found.map { it.id } shouldBe listOf(ids[name])
            found.single().getString("name") shouldBe name
        }
        parallel(keys.indices.toList()) { i ->
            fixture.records.get("account", RecordKey.alternate("accountnumber", keys[i])).id shouldBe ids[names[i]]
        }
    }

    test("1,500 integers, including the column's extremes, and 1,500 dates as filter literals find exactly their record") {
        // numberofemployees accepts 0..1,000,000,000, like the service's column.
        val numbers = (listOf(0, 1, 999_999_999, 1_000_000_000) + generateSequence { random.nextInt(0, 1_000_000_001) }.take(3_000))
            .distinct().take(1_500)
        val dates = generateSequence { LocalDate.ofEpochDay(random.nextLong(LocalDate.of(1753, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())) }
            .distinct().take(1_500).toList()
        val byNumber = numbers.zip(fixture.records.createMany("account", numbers.map { mapOf("name" to "number", "numberofemployees" to it) }).ids).toMap()
        val byDate = dates.zip(fixture.records.createMany("contact", dates.map { mapOf("lastname" to "dated", "birthdate" to it) }).ids).toMap()
        parallel(numbers) { n ->
            fixture.records.list("account", ListOptions(select = listOf("numberofemployees"), filter = Filter.eq("numberofemployees", n)))
                .toList().map { it.id } shouldBe listOf(byNumber[n])
        }
        parallel(dates) { d ->
            fixture.records.list("contact", ListOptions(select = listOf("birthdate"), filter = Filter.eq("birthdate", d)))
                .toList().map { it.id } shouldBe listOf(byDate[d])
        }
    }
})

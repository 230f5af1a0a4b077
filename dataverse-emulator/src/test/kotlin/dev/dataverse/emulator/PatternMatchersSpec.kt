package dev.dataverse.emulator

import dev.dataverse.emulator.internal.query.LikePattern
import dev.dataverse.emulator.internal.search.SearchRegex
import dev.dataverse.emulator.internal.search.SearchRegexException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.random.Random

/**
 * The emulator's matchers for caller-supplied patterns: SQL Server `LIKE` patterns (FetchXML `like`, SQL `LIKE`;
 * Learn: "Filter rows using FetchXml", like operator, and Transact-SQL LIKE wildcards `%`, `_`, `[ ]`, `[^ ]`) and the
 * regular expressions of the full search syntax (Learn: "Lucene query syntax in Azure AI Search", regular expression
 * search, which uses Lucene's RegExp syntax) must match as those define, and in time linear in the text whatever the
 * pattern: the pathological patterns below take astronomically long with a backtracking matcher, so a regression turns
 * these tests into a hang, not a pass. The path patterns of fault rules (java.util.regex, from the admin API) are bounded
 * in the characters a match may read.
 */
class PatternMatchersSpec : FunSpec({
    fun like(pattern: String, text: String) = LikePattern.compile(pattern).matches(text)
    fun regex(pattern: String, word: String) = SearchRegex.compile(pattern).matches(word)

    test("LIKE wildcards: % any text, _ one character, sets, ranges, negated sets, and a literal % in brackets") {
        like("Contoso%", "Contoso Ltd") shouldBe true
        like("%Ltd", "Contoso Ltd") shouldBe true
        like("%tos%", "Contoso Ltd") shouldBe true
        like("%tos%", "Fabrikam") shouldBe false
        like("C_ntoso", "Contoso") shouldBe true
        like("C_ntoso", "Cntoso") shouldBe false
        like("[bc]at", "cat") shouldBe true
        like("[bc]at", "rat") shouldBe false
        like("[a-f]%", "Delta") shouldBe true
        like("[a-f]%", "zulu") shouldBe false
        like("[^a-f]%", "zulu") shouldBe true
        like("[^a-f]%", "Delta") shouldBe false
        like("100[%]", "100%") shouldBe true
        like("100[%]", "1000") shouldBe false
        like("%", "") shouldBe true
        like("_", "") shouldBe false
        like("", "") shouldBe true
        like("abc", "abcd") shouldBe false
        like("a%b%c", "abc") shouldBe true
        like("a%b%c", "ab") shouldBe false
        like("%a%a%", "a") shouldBe false
        like("[x", "[x") shouldBe true
    }

    test("LIKE ignores case, as the service's default collation does") {
        like("contoso%", "CONTOSO LTD") shouldBe true
        like("[A-C]at", "bat") shouldBe true
        like("[^A-C]at", "bat") shouldBe false
    }

    test("LIKE agrees with the equivalent regular expression on random patterns and texts") {
        val random = Random(20_26)
        repeat(5_000) {
            val pattern = String(CharArray(random.nextInt(0, 8)) { "ab%_"[random.nextInt(4)] })
            val text = String(CharArray(random.nextInt(0, 8)) { "abAB"[random.nextInt(4)] })
            val expected = Regex(
                pattern.map { when (it) { '%' -> ".*"; '_' -> "."; else -> it.toString() } }.joinToString(""),
                setOf(RegexOption.IGNORE_CASE, RegexOption.DOT_MATCHES_ALL),
            ).matches(text)
            withClue(pattern, text) { like(pattern, text) shouldBe expected }
        }
    }

    test("a LIKE pattern of many wildcards against a long run of one letter is answered at once") {
        val text = "a".repeat(40)
        like("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%c", text) shouldBe false
        like("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%", text) shouldBe true
        like("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%c", "a".repeat(100_000)) shouldBe false
    }

    test("search regular expressions match whole words with Lucene's operators") {
        regex("[mh]otel", "motel") shouldBe true
        regex("[mh]otel", "hotels") shouldBe false
        regex("ho.*", "hotel") shouldBe true
        regex("colou?r", "color") shouldBe true
        regex("colou?r", "colour") shouldBe true
        regex("ab+c", "ac") shouldBe false
        regex("ab+c", "abbbc") shouldBe true
        regex("a{2,3}", "aaa") shouldBe true
        regex("a{2,3}", "aaaa") shouldBe false
        regex("a{2}", "aa") shouldBe true
        regex("a{2,}", "aaaaa") shouldBe true
        regex("cat|dog", "dog") shouldBe true
        regex("(ab)+", "ababab") shouldBe true
        regex("(ab)+", "ababa") shouldBe false
        regex("[^0-9]+", "abc") shouldBe true
        regex("[^0-9]+", "ab1") shouldBe false
        regex("\\d+", "2026") shouldBe true
        regex("\"a.b\"", "a.b") shouldBe true
        regex("\"a.b\"", "axb") shouldBe false
        regex("@", "anything") shouldBe true
        regex("#", "") shouldBe false
        regex("a()b", "ab") shouldBe true
        regex("A[B-C]", "ac") shouldBe true
    }

    test("search regular expressions agree with java.util.regex on random patterns of the shared syntax") {
        val random = Random(7)
        val atoms = listOf("a", "b", ".", "[ab]", "(a|b)", "(ab)")
        val quantifiers = listOf("", "", "*", "+", "?", "{1,2}")
        repeat(3_000) {
            val pattern = (0 until random.nextInt(1, 5)).joinToString("") { atoms.random(random) + quantifiers.random(random) }
            val word = String(CharArray(random.nextInt(0, 7)) { "ab"[random.nextInt(2)] })
            withClue(pattern, word) { regex(pattern, word) shouldBe Regex(pattern).matches(word) }
        }
    }

    test("a regular expression that makes a backtracking matcher explode is answered at once") {
        regex("a*a*a*a*a*a*a*a*a*a*a*a*c", "a".repeat(40)) shouldBe false
        regex("a*a*a*a*a*a*a*a*a*a*a*a*", "a".repeat(40)) shouldBe true
        regex("(a|aa)*c", "a".repeat(10_000)) shouldBe false
        regex("(a*)*b", "a".repeat(10_000)) shouldBe false
    }

    test("a fault rule's path pattern that backtracks without end is taken as not matching; ordinary ones match") {
        val rule = FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "(a+)+b")
        rule.matches("GET", "a".repeat(60)) shouldBe false
        rule.matches("GET", "aaab") shouldBe true
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "accounts.*").matches("GET", "accounts(1)/name") shouldBe true
    }

    test("regular expressions whose automaton would be too large, or using operators the emulator lacks, are refused") {
        shouldThrow<SearchRegexException> { SearchRegex.compile("(a{1000}){1000}") }.message shouldContain "too complex"
        shouldThrow<SearchRegexException> { SearchRegex.compile("a{0,2000000000}") }.message shouldContain "too complex"
        shouldThrow<SearchRegexException> { SearchRegex.compile("ab&cd") }.message shouldContain "intersection"
        shouldThrow<SearchRegexException> { SearchRegex.compile("~ab") }.message shouldContain "complement"
        shouldThrow<SearchRegexException> { SearchRegex.compile("<1-10>") }.message shouldContain "interval"
        shouldThrow<SearchRegexException> { SearchRegex.compile("(ab") }.message shouldContain "')'"
        shouldThrow<SearchRegexException> { SearchRegex.compile("*a") }.message shouldContain "repeats nothing"
        shouldThrow<SearchRegexException> { SearchRegex.compile("a{3,1}") }.message shouldContain "reversed"
        regex("a\\&b", "a&b") shouldBe true
    }
})

private inline fun withClue(pattern: String, text: String, block: () -> Unit) =
    io.kotest.assertions.withClue("pattern '$pattern' on '$text'") { block() }

package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.work.DeadlineTicker

/**
 * A regular expression of the full (Lucene) search syntax (`/[mh]otel/`), matched against whole words in time linear
 * in the word's length: compiled to a Thompson automaton of at most [MAX_STATES] states, whose set of live states
 * advances one character at a time. There is no backtracking, so no pattern makes a match take exponential time
 * (`/a*a*a*a*a*a*a*a*a*a*a*a*c/` against forty `a`s is a few hundred steps), and the number of states bounds the
 * work per character.
 *
 * The syntax is Lucene's `RegExp` (Learn: "Lucene query syntax in Azure AI Search", regular expression search; the
 * `RegExp` class documents it): `|`, concatenation, `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, `.`, `[…]` and `[^…]` with
 * ranges, `"…"` literal strings, `( )`, `@` (any string), `#` (no string), `\` escapes and the classes `\d`, `\w`, `\s`
 * (and `\D`, `\W`, `\S`). Lucene's intersection (`&`), complement (`~`) and numeric interval (`<n-m>`) operators are
 * not supported by the emulator and are refused as such. A pattern whose automaton would pass [MAX_STATES] is refused as
 * too complex, as Lucene refuses one whose automaton is too large to determinize; the emulator's limit is its own.
 * Letters match in either case, as the words are compared.
 */
internal class SearchRegex private constructor(private val states: Array<State>, private val start: Int) {

    /** Whether all of [word] matches. */
    fun matches(word: String): Boolean {
        val ticker = DeadlineTicker()
        var current = StateSet(states.size)
        var next = StateSet(states.size)
        val stack = IntArray(states.size)
        addClosure(current, start, stack)
        for (char in word) {
            if (current.isEmpty()) return false
            next.clear()
            for (i in 0 until current.size) {
                ticker.tick()
                val state = states[current[i]]
                if (state is State.Step && state.accepts(char)) addClosure(next, state.next, stack)
            }
            val swap = current
            current = next
            next = swap
        }
        return (0 until current.size).any { states[current[it]] is State.Match }
    }

    /** Adds [from] and every state reachable from it without reading a character. */
    private fun addClosure(set: StateSet, from: Int, stack: IntArray) {
        var top = 0
        stack[top++] = from
        while (top > 0) {
            val index = stack[--top]
            if (!set.add(index)) continue
            val state = states[index]
            if (state is State.Split) {
                stack[top++] = state.second
                stack[top++] = state.first
            } else if (state is State.Jump) {
                stack[top++] = state.next
            }
        }
    }

    private sealed class State {
        /** Reads one character accepted by [test], then goes to [next]. */
        class Step(val test: CharTest, var next: Int) : State() {
            fun accepts(char: Char): Boolean = test.accepts(char)
        }

        class Split(var first: Int, var second: Int) : State()

        class Jump(var next: Int) : State()

        object Match : State()

        /** No way out: the language of `#`. */
        object Dead : State()
    }

    /** A set of state indexes with constant-time add, membership and clear (Briggs and Torczon's sparse set). */
    private class StateSet(capacity: Int) {
        private val dense = IntArray(capacity)
        private val sparse = IntArray(capacity)
        var size = 0
            private set

        fun isEmpty(): Boolean = size == 0

        operator fun get(i: Int): Int = dense[i]

        fun add(value: Int): Boolean {
            val at = sparse[value]
            if (at < size && dense[at] == value) return false
            dense[size] = value
            sparse[value] = size
            size++
            return true
        }

        fun clear() {
            size = 0
        }
    }

    /** Which characters one step accepts. */
    internal fun interface CharTest {
        fun accepts(char: Char): Boolean
    }

    /** The pattern parsed: a tree the compiler turns into states, copying subtrees for counted repetitions. */
    private sealed class Node {
        class Chars(val test: CharTest) : Node()
        class Concat(val parts: List<Node>) : Node()
        class Union(val options: List<Node>) : Node()
        class Repeat(val node: Node, val min: Int, val max: Int?) : Node()
        object Empty : Node()
        object Nothing : Node()
        object AnyString : Node()
    }

    /** A piece of automaton under construction: its entry state and the states whose exit is still to be connected. */
    private class Fragment(val start: Int, val exits: List<(Int) -> Unit>)

    private class Compiler {
        val states = ArrayList<State>()

        fun add(state: State): Int {
            if (states.size >= MAX_STATES) throw SearchRegexException("it is too complex (its automaton would have more than $MAX_STATES states)")
            states += state
            return states.size - 1
        }

        fun compile(node: Node): Fragment = when (node) {
            is Node.Chars -> {
                val step = State.Step(node.test, -1)
                Fragment(add(step), listOf { target -> step.next = target })
            }
            Node.Empty -> jump()
            Node.Nothing -> Fragment(add(State.Dead), emptyList())
            Node.AnyString -> compile(Node.Repeat(Node.Chars(ANY), 0, null))
            is Node.Concat -> node.parts.map(::compile).reduceOrNull(::chain) ?: jump()
            is Node.Union -> {
                val fragments = node.options.map(::compile)
                fragments.drop(1).fold(fragments.first()) { left, right ->
                    val split = State.Split(left.start, right.start)
                    Fragment(add(split), left.exits + right.exits)
                }
            }
            is Node.Repeat -> repeat(node)
        }

        private fun jump(): Fragment {
            val jump = State.Jump(-1)
            return Fragment(add(jump), listOf { target -> jump.next = target })
        }

        private fun chain(first: Fragment, second: Fragment): Fragment {
            first.exits.forEach { it(second.start) }
            return Fragment(first.start, second.exits)
        }

        private fun repeat(node: Node.Repeat): Fragment {
            val required = (0 until node.min).map { compile(node.node) }
            val rest = if (node.max == null) {
                listOf(star(compile(node.node)))
            } else {
                (0 until node.max - node.min).map { optional(compile(node.node)) }
            }
            return (required + rest).reduceOrNull(::chain) ?: jump()
        }

        private fun star(body: Fragment): Fragment {
            val split = State.Split(body.start, -1)
            val index = add(split)
            body.exits.forEach { it(index) }
            return Fragment(index, listOf { target -> split.second = target })
        }

        private fun optional(body: Fragment): Fragment {
            val split = State.Split(body.start, -1)
            return Fragment(add(split), body.exits + { target -> split.second = target })
        }
    }

    /** Parses Lucene's regular expression syntax into [Node]s. */
    private class Parser(private val text: String) {
        private var at = 0

        fun parse(): Node {
            val node = union()
            if (at < text.length) fail("unexpected '${text[at]}' at position ${at + 1}")
            return node
        }

        private fun union(): Node {
            val options = arrayListOf(concat())
            while (accept('|')) options += concat()
            return if (options.size == 1) options[0] else Node.Union(options)
        }

        private fun concat(): Node {
            val parts = ArrayList<Node>()
            while (at < text.length && text[at] != '|' && text[at] != ')') parts += repeat()
            return when (parts.size) {
                0 -> Node.Empty
                1 -> parts[0]
                else -> Node.Concat(parts)
            }
        }

        private fun repeat(): Node {
            var node = simple()
            while (at < text.length) {
                node = when (text[at]) {
                    '?' -> { at++; Node.Repeat(node, 0, 1) }
                    '*' -> { at++; Node.Repeat(node, 0, null) }
                    '+' -> { at++; Node.Repeat(node, 1, null) }
                    '{' -> counted(node)
                    else -> return node
                }
            }
            return node
        }

        private fun counted(node: Node): Node {
            val open = at++
            val min = number() ?: fail("a number is expected after '{' at position ${open + 1}")
            val max = if (accept(',')) number() else min
            if (!accept('}')) fail("'}' is expected at position ${at + 1}")
            if (max != null && max < min) fail("the repetition {$min,$max} has its bounds reversed")
            return Node.Repeat(node, min, max)
        }

        private fun number(): Int? {
            val start = at
            while (at < text.length && text[at].isDigit()) at++
            if (start == at) return null
            // Counts this large could never fit in the automaton anyway.
            return text.substring(start, at).toIntOrNull()?.takeIf { it <= MAX_STATES } ?: MAX_STATES + 1
        }

        private fun simple(): Node {
            val char = text[at++]
            return when (char) {
                '.' -> Node.Chars(ANY)
                '@' -> Node.AnyString
                '#' -> Node.Nothing
                '(' -> {
                    val inner = if (at < text.length && text[at] == ')') Node.Empty else union()
                    if (!accept(')')) fail("')' is expected at position ${at + 1}")
                    inner
                }
                '[' -> charClass()
                '"' -> literalString()
                '\\' -> escaped()
                '&', '~', '<' -> unsupported(char)
                '*', '+', '?', '{' -> fail("'$char' at position $at repeats nothing")
                else -> Node.Chars(literal(char))
            }
        }

        private fun unsupported(char: Char): Nothing {
            val name = when (char) {
                '&' -> "intersection ('&')"
                '~' -> "complement ('~')"
                else -> "numeric interval ('<n-m>')"
            }
            fail("the emulator does not support the $name operator; escape the character to match it literally")
        }

        private fun literalString(): Node {
            val start = at
            val end = text.indexOf('"', start)
            if (end < 0) fail("the string starting at position $start is not closed")
            at = end + 1
            return Node.Concat(text.substring(start, end).map { Node.Chars(literal(it)) })
        }

        private fun escaped(): Node {
            if (at >= text.length) fail("nothing follows the '\\' at the end")
            val char = text[at++]
            return Node.Chars(shorthand(char) ?: literal(char))
        }

        private fun charClass(): Node {
            val negated = accept('^')
            val tests = ArrayList<CharTest>()
            var first = true
            while (at < text.length && (text[at] != ']' || first)) {
                first = false
                val low = classChar()
                if (low is CharTest && low !is Single) {
                    tests += low
                    continue
                }
                val lowChar = (low as Single).char
                if (at + 1 < text.length && text[at] == '-' && text[at + 1] != ']') {
                    at++
                    val high = classChar() as? Single ?: fail("a range cannot end with a character class")
                    if (high.char < lowChar) fail("the range $lowChar-${high.char} is reversed")
                    tests += range(lowChar, high.char)
                } else {
                    tests += low
                }
            }
            if (!accept(']')) fail("the character class is not closed")
            return Node.Chars { char -> tests.any { it.accepts(char) } != negated }
        }

        /** One character of a class, or a shorthand class such as `\d`. */
        private fun classChar(): CharTest {
            val char = text[at++]
            if (char != '\\') return Single(char)
            if (at >= text.length) fail("nothing follows the '\\' at the end")
            val next = text[at++]
            return shorthand(next) ?: Single(next)
        }

        private fun accept(char: Char): Boolean {
            if (at < text.length && text[at] == char) {
                at++
                return true
            }
            return false
        }

        private fun fail(message: String): Nothing = throw SearchRegexException(message)
    }

    /** A single character, matched in any case. */
    private class Single(val char: Char) : CharTest {
        override fun accepts(char: Char): Boolean = char.equals(this.char, ignoreCase = true)
    }

    companion object {
        /** The most states a pattern's automaton may have. */
        const val MAX_STATES: Int = 10_000

        private val ANY = CharTest { true }

        /** The matcher for [pattern] (without its slashes); a [SearchRegexException] says why a pattern is refused. */
        fun compile(pattern: String): SearchRegex {
            val node = Parser(pattern).parse()
            val compiler = Compiler()
            val fragment = compiler.compile(node)
            val match = compiler.add(State.Match)
            fragment.exits.forEach { it(match) }
            return SearchRegex(compiler.states.toTypedArray(), fragment.start)
        }

        private fun literal(char: Char): CharTest = Single(char)

        private fun range(low: Char, high: Char): CharTest =
            CharTest { char -> char in low..high || char.uppercaseChar() in low..high || char.lowercaseChar() in low..high }

        private fun shorthand(char: Char): CharTest? = when (char) {
            'd' -> CharTest { it.isDigit() }
            'D' -> CharTest { !it.isDigit() }
            'w' -> CharTest { it.isLetterOrDigit() || it == '_' }
            'W' -> CharTest { !(it.isLetterOrDigit() || it == '_') }
            's' -> CharTest { it.isWhitespace() }
            'S' -> CharTest { !it.isWhitespace() }
            else -> null
        }
    }
}

/** Why a search regular expression is refused. */
internal class SearchRegexException(message: String) : RuntimeException(message)

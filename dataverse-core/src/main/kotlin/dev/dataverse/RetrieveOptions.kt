package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * What to read when retrieving one record: `$select`, `$expand` and annotations.
 *
 * Kotlin: `RetrieveOptions(select = listOf("name"), expand = listOf(Expand("primarycontactid", select = listOf("fullname"))))`.
 * Java: `RetrieveOptions.builder().select("name").includeAnnotations(true).build()`.
 */
public class RetrieveOptions(
    /** Columns to return (`$select`); empty (the default) returns all columns. */
    select: List<String> = emptyList(),
    /** Related records to return with the record (`$expand`); see [Expand]. */
    expand: List<Expand> = emptyList(),
    /** Ask for formatted values and lookup annotations (`Prefer: odata.include-annotations="*"`). Default `false`. */
    public val includeAnnotations: Boolean = false,
) {
    /** Columns to return; empty means all. */
    public val select: List<String> = select.toList()

    /** Expand clauses. */
    public val expand: List<Expand> = expand.toList()

    init {
        this.select.forEach { Identifiers.requireColumn(it, "select column") }
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (this.expand.any { it == null }) throw InvalidInputException("'expand' cannot hold null.")
    }

    override fun toString(): String =
        "RetrieveOptions(select=$select, expand=$expand, includeAnnotations=$includeAnnotations)"

    /** Fluent builder for Java callers. */
    public class Builder public constructor() {
        private var select = emptyList<String>()
        private var expand = emptyList<Expand>()
        private var includeAnnotations = false

        /** @see RetrieveOptions.select */
        public fun select(vararg columns: String): Builder = apply { select = columns.toList() }

        /** @see RetrieveOptions.select */
        public fun select(columns: List<String>): Builder = apply { select = columns.toList() }

        /** @see RetrieveOptions.expand */
        public fun expand(vararg clauses: Expand): Builder = apply { expand = clauses.toList() }

        /** @see RetrieveOptions.expand */
        public fun expand(clauses: List<Expand>): Builder = apply { expand = clauses.toList() }

        /** @see RetrieveOptions.includeAnnotations */
        public fun includeAnnotations(include: Boolean): Builder = apply { includeAnnotations = include }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): RetrieveOptions = RetrieveOptions(select, expand, includeAnnotations)
    }

    public companion object {
        /** All columns, nothing expanded, no annotations. */
        @JvmField
        public val DEFAULT: RetrieveOptions = RetrieveOptions()

        /** A new builder. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

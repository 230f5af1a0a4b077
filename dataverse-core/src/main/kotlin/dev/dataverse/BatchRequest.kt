// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-BatchRequest")

package dev.dataverse

import dev.dataverse.internal.RequestEntry
import dev.dataverse.internal.RequestEntryBuilder
import dev.dataverse.internal.BatchOperation
import dev.dataverse.internal.protocol.ConditionalWrite
import dev.dataverse.internal.protocol.Conditions
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.Payloads
import java.util.UUID

/**
 * An OData `$batch`: many operations sent in one HTTP request, executed by the service in order.
 *
 * Operations added to a [ChangeSetBuilder] form an atomic change set: they all apply, or none does. Inside a change set a
 * later operation can point at a record an earlier one creates, through the [BatchReference] its `create` returned —
 * as a lookup value (`"parentcustomerid_account" to accountRef`) or as the target of `update`/`delete`.
 *
 * ```kotlin
 * val result = client.batch {
 *     get("account", accountId, RetrieveOptions(select = listOf("name")))
 *     changeSet {
 *         val account = create("account", mapOf("name" to "Contoso"))
 *         create("contact", mapOf("lastname" to "Doe", "parentcustomerid_account" to account))
 *     }
 *     delete("account", oldId)
 * }
 * ```
 * ```java
 * BatchRequest.Builder batch = BatchRequest.builder();
 * ChangeSetBuilder changeSet = batch.changeSet();
 * BatchReference account = changeSet.create("account", Map.of("name", "Contoso"));
 * changeSet.create("contact", Map.of("lastname", "Doe", "parentcustomerid_account", account));
 * BatchResult result = client.batch(batch.build());
 * ```
 * The service accepts at most [MAX_OPERATIONS_PER_REQUEST] operations per request; a larger batch is split into several
 * requests at the boundaries between top-level entries, so a change set is never split. Every input is validated as it is
 * added, and [Builder.build] checks the whole: bad input fails with [InvalidInputException] before anything is sent.
 */
public class BatchRequest private constructor(
    @get:JvmSynthetic
    internal val entries: List<RequestEntry>,
    /**
     * With `true`, the service runs every operation even after one fails (`Prefer: odata.continue-on-error`); with
     * `false` (the default) it stops at the first failure, and later operations are reported as not executed.
     */
    public val continueOnError: Boolean,
) {
    /** The number of operations, change-set members included. */
    public val size: Int = entries.sumOf { it.operations.size }


    /** Collects the operations of a batch in order. Not thread-safe: build a batch on one thread. */
    @DataverseDsl
    public class Builder public constructor() {
        @get:JvmSynthetic
        internal val entries = mutableListOf<RequestEntryBuilder>()

        @get:JvmSynthetic @set:JvmSynthetic
        internal var operationCount = 0
        private var continueOnError = false
        @get:JvmSynthetic @set:JvmSynthetic
        internal var options: RequestOptions? = null

        /** Retrieves a record by primary id. */
        @JvmOverloads
        public fun get(table: String, id: UUID, options: RetrieveOptions = RetrieveOptions.DEFAULT): BatchReference =
            get(table, RecordKey.id(id), options)

        /** Retrieves a record by key. */
        @JvmOverloads
        public fun get(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): BatchReference =
            single { add("GET", table, key, null, null, emptyList(), options, null) }

        /** Creates a record; its id is in the operation's [BatchOperationResult.entityId]. */
        public fun create(table: String, values: Map<String, Any?>): BatchReference =
            single { add("POST", table, null, null, values, emptyList(), null, null) }

        /**
         * Updates an existing record (never creates); [conditions] as in [Records.update]: with
         * [MatchConditions.ifMatch], a changed record fails this operation with 412 ([PreconditionFailedException]).
         *
         * @throws InvalidInputException for [MatchConditions.ifNoneMatchAny], which an update cannot carry.
         */
        @JvmOverloads
        public fun update(table: String, id: UUID, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
            update(table, RecordKey.id(id), values, conditions)

        /** Updates the existing record identified by [key]; see the primary-id form. */
        @JvmOverloads
        public fun update(table: String, key: RecordKey, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
            single { add("PATCH", table, key, null, values, Conditions.headers(conditions, ConditionalWrite.UPDATE), null, null) }

        /** Creates or updates the record identified by [key]; [conditions] as in [Records.upsert] (create-only, update-only). */
        @JvmOverloads
        public fun upsert(table: String, key: RecordKey, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
            single { add("PATCH", table, key, null, values, Conditions.headers(conditions, ConditionalWrite.UPSERT), null, null) }

        /**
         * Deletes a record by primary id; [conditions] as in [Records.delete].
         *
         * @throws InvalidInputException for [MatchConditions.ifNoneMatchAny], which a delete cannot carry.
         */
        @JvmOverloads
        public fun delete(table: String, id: UUID, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
            delete(table, RecordKey.id(id), conditions)

        /** Deletes the record identified by [key]; see the primary-id form. */
        @JvmOverloads
        public fun delete(table: String, key: RecordKey, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
            single { add("DELETE", table, key, null, null, Conditions.headers(conditions, ConditionalWrite.DELETE), null, null) }

        /**
         * Calls an action or a function as an operation of its own (outside any change set); its response is in the
         * operation's [BatchOperationResult.messageResult]. The message's [MessageRequest.options] go on its part.
         */
        public fun execute(message: MessageRequest): BatchReference = single { addMessage(message, null) }

        /**
         * [RequestOptions] for the operations added after this call (in change sets too), until called again; `null` (the
         * initial state) adds none. They go on each operation's own part, over the client's defaults; a message's own
         * [MessageRequest.options] override them.
         */
        public fun options(options: RequestOptions?): Builder = apply { this.options = options }

        /**
         * Starts an atomic change set at this position of the batch and returns its builder. Operations added to it
         * later still run at this position.
         */
        public fun changeSet(): ChangeSetBuilder = ChangeSetBuilder(this).also { entries += RequestEntryBuilder(it) }

        /** See [BatchRequest.continueOnError]. The default is `false`. */
        public fun continueOnError(enabled: Boolean): Builder = apply { continueOnError = enabled }

        /**
         * Checks the whole batch and builds it.
         *
         * @throws InvalidInputException when the batch or one of its change sets is empty, or a change set has more than
         *   [MAX_OPERATIONS_PER_REQUEST] operations.
         */
        public fun build(): BatchRequest {
            if (operationCount == 0) throw InvalidInputException("A batch needs at least one operation.")
            val built = entries.mapIndexed { position, entry ->
                val changeSet = entry.changeSet
                if (changeSet != null && changeSet.operations.isEmpty()) {
                    throw InvalidInputException("Change set at position $position of the batch is empty.")
                }
                if (changeSet != null && changeSet.operations.size > MAX_OPERATIONS_PER_REQUEST) {
                    throw InvalidInputException(
                        "A change set has ${changeSet.operations.size} operations; the service accepts at most " +
                            "$MAX_OPERATIONS_PER_REQUEST per request, and a change set cannot be split.",
                    )
                }
                RequestEntry(changeSet?.operations?.toList() ?: listOf(entry.single!!), changeSet != null)
            }
            return BatchRequest(built, continueOnError)
        }

        private inline fun single(create: () -> BatchOperation): BatchReference {
            val operation = create()
            entries += RequestEntryBuilder(null, operation)
            return operation.reference
        }

        @Suppress("LongParameterList")
        @JvmSynthetic
        internal fun add(
            method: String,
            table: String,
            key: RecordKey?,
            target: BatchReference?,
            values: Map<String, Any?>?,
            headers: List<Pair<String, String>>,
            retrieve: RetrieveOptions?,
            changeSet: ChangeSetBuilder?,
        ): BatchOperation {
            val name = if (target != null) target.table else Identifiers.requireTable(table)
            if (target != null) requireUsable(target, changeSet)
            values?.let { validateValues(it, changeSet) }
            val reference = BatchReference(this, operationCount, name, changeSet)
            operationCount++
            return BatchOperation(reference.index, method, name, key, target, values?.toMap(), headers, retrieve, changeSet, reference, options = options)
        }

        @JvmSynthetic
        internal fun addMessage(message: MessageRequest, changeSet: ChangeSetBuilder?): BatchOperation {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (message == null) throw InvalidInputException("'message' cannot be null.")
            if (changeSet != null && message.kind == MessageKind.FUNCTION) {
                throw InvalidInputException(
                    "Function '${message.name}' cannot be part of a change set: change sets hold writes only (functions are GET requests); add it to the batch itself.",
                )
            }
            val method = if (message.kind == MessageKind.ACTION) "POST" else "GET"
            val table = message.binding.table ?: ""
            val reference = BatchReference(this, operationCount, table, changeSet)
            operationCount++
            return BatchOperation(
                reference.index, method, table, message.binding.key, null, null, emptyList(), null, changeSet, reference,
                message = message, options = options.let { it ?: RequestOptions.NONE }.overriddenBy(message.options).takeUnless { it.isEmpty },
            )
        }

        /** Runs the payload checks now, so a bad value fails when it is added, not when the batch is sent. */
        private fun validateValues(values: Map<String, Any?>, changeSet: ChangeSetBuilder?) {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (values == null) throw InvalidInputException("'values' cannot be null.")
            Payloads.validate(values) { value ->
                when (value) {
                    is BatchReference -> requireUsable(value, changeSet).let { "\$${value.contentId}" }
                    is EntityReference -> "/${value.table}(${value.id})"
                    // Labels are resolved against the table's options when the batch is sent; their key is checked here.
                    is ChoiceLabel -> "label"
                    else -> null
                }
            }
        }

        @JvmSynthetic
        internal fun requireUsable(reference: BatchReference, changeSet: ChangeSetBuilder?) {
            if (reference.batch !== this) {
                throw InvalidInputException("Content-ID reference \$${reference.contentId} does not exist in this batch.")
            }
            if (reference.changeSet == null || reference.changeSet !== changeSet) {
                throw InvalidInputException(
                    "Operation ${reference.index} can only be referenced from inside its own change set (Content-ID " +
                        "\$${reference.contentId}); the service resolves references within a change set only.",
                )
            }
        }
    }


    public companion object {
        /** The service's limit of operations in one `$batch` request. */
        public const val MAX_OPERATIONS_PER_REQUEST: Int = 1000

        /** A new, empty batch. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

/**
 * The operations of one atomic change set. Only writes can be part of a change set (the service rejects reads there),
 * which is why this builder has no `get`.
 */
@DataverseDsl
public class ChangeSetBuilder private constructor(private val batch: BatchRequest.Builder) {
    @get:JvmSynthetic
    internal val operations = mutableListOf<BatchOperation>()

    /** Creates a record; use the returned reference to bind or address it later in this change set. */
    public fun create(table: String, values: Map<String, Any?>): BatchReference =
        add { batch.add("POST", table, null, null, values, emptyList(), null, this) }

    /**
     * Updates an existing record; [conditions] as in [Records.update]. A failed condition (412) rolls the whole change
     * set back.
     *
     * @throws InvalidInputException for [MatchConditions.ifNoneMatchAny], which an update cannot carry.
     */
    @JvmOverloads
    public fun update(table: String, id: UUID, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
        update(table, RecordKey.id(id), values, conditions)

    /** Updates the existing record identified by [key]; see the primary-id form. */
    @JvmOverloads
    public fun update(table: String, key: RecordKey, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
        add { batch.add("PATCH", table, key, null, values, Conditions.headers(conditions, ConditionalWrite.UPDATE), null, this) }

    /** Updates the record an earlier operation of this change set created. */
    public fun update(record: BatchReference, values: Map<String, Any?>): BatchReference =
        add { batch.add("PATCH", record.table, null, record, values, listOf("If-Match" to "*"), null, this) }

    /** Creates or updates the record identified by [key]; [conditions] as in [Records.upsert] (create-only, update-only). */
    @JvmOverloads
    public fun upsert(table: String, key: RecordKey, values: Map<String, Any?>, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
        add { batch.add("PATCH", table, key, null, values, Conditions.headers(conditions, ConditionalWrite.UPSERT), null, this) }

    /**
     * Deletes a record by primary id; [conditions] as in [Records.delete].
     *
     * @throws InvalidInputException for [MatchConditions.ifNoneMatchAny], which a delete cannot carry.
     */
    @JvmOverloads
    public fun delete(table: String, id: UUID, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
        delete(table, RecordKey.id(id), conditions)

    /** Deletes the record identified by [key]; see the primary-id form. */
    @JvmOverloads
    public fun delete(table: String, key: RecordKey, conditions: MatchConditions = MatchConditions.NONE): BatchReference =
        add { batch.add("DELETE", table, key, null, null, Conditions.headers(conditions, ConditionalWrite.DELETE), null, this) }

    /** Deletes the record an earlier operation of this change set created. */
    public fun delete(record: BatchReference): BatchReference =
        add { batch.add("DELETE", record.table, null, record, null, emptyList(), null, this) }

    /**
     * Calls an action as part of this change set: it applies with the other operations or not at all. Functions cannot
     * be part of a change set (the service refuses reads there): add them with [BatchRequest.Builder.execute].
     *
     * @throws InvalidInputException when [message] is a function.
     */
    public fun execute(message: MessageRequest): BatchReference = add { batch.addMessage(message, this) }

    private inline fun add(create: () -> BatchOperation): BatchReference =
        create().also { operations += it }.reference

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(batch: BatchRequest.Builder): ChangeSetBuilder = ChangeSetBuilder(batch)
    }
}

/**
 * Handle on one operation of a batch: find its result with [BatchResult.get], and, for operations in a change set, refer
 * to the record it creates from later operations of the same change set (sent as Content-ID `$n`).
 */
public class BatchReference private constructor(
    @get:JvmSynthetic
    internal val batch: BatchRequest.Builder,
    /** Position of the operation in the batch, from 0, in the order operations were added. */
    public val index: Int,
    /** Logical name of the operation's table. */
    public val table: String,
    @get:JvmSynthetic
    internal val changeSet: ChangeSetBuilder?,
) {
    /** The Content-ID the operation is sent with; `$n` in URLs and bindings. */
    @get:JvmSynthetic
    internal val contentId: Int get() = index + 1

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(batch: BatchRequest.Builder, index: Int, table: String, changeSet: ChangeSetBuilder?): BatchReference =
            BatchReference(batch, index, table, changeSet)
    }

    override fun toString(): String = "BatchReference(#$index $table)"
}

/** Kotlin DSL for a change set: `changeSet { val a = create(...); create("contact", mapOf("parentcustomerid_account" to a)) }`. */
@JvmSynthetic
public inline fun BatchRequest.Builder.changeSet(build: ChangeSetBuilder.() -> Unit): Unit = changeSet().build()

/** Kotlin DSL for a whole batch; see [BatchRequest]. */
@JvmSynthetic
public inline fun batchRequest(continueOnError: Boolean = false, build: BatchRequest.Builder.() -> Unit): BatchRequest =
    BatchRequest.builder().continueOnError(continueOnError).apply(build).build()

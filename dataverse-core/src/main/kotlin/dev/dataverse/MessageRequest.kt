package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.MessageParameters
import java.util.UUID

/**
 * One call of an action or a function: its name, parameters, what it is bound to, and per-call [RequestOptions].
 *
 * Kotlin: `MessageRequest.function("RetrieveTotalRecordCount") { parameter("EntityNames", listOf("account")) }`, or the
 * constructor. Java: `MessageRequest.action("sample_Score").boundTo("lead", id).parameter("Weight", 3).build()`.
 *
 * Parameter values, by the Web API type they are sent as:
 * - `String`, `Boolean`, `Int`/`Long`/`Short`/`Byte`, `BigDecimal`/`BigInteger`, `Double`/`Float` (finite), `UUID`,
 *   `Instant`/`OffsetDateTime`/`ZonedDateTime` (sent in UTC), `LocalDate`, and `null`;
 * - an [EnumMember] for enum types (`Microsoft.Dynamics.CRM.EntityFilters`);
 * - an [EntityReference] for a reference to an existing record (`crmbaseentity`): in an action the service gets
 *   `{"@odata.type": "Microsoft.Dynamics.CRM.<table>", "<primary id>": "<id>"}`, in a function `{'@odata.id':'<set>(<id>)'}`;
 * - a [MessageEntity] for a record value (entity parameters of actions), and lists of them for entity collections;
 * - a `List` (or array) of any of these for collections, and, in actions, a `Map` for a complex-type value (put its
 *   `@odata.type` in the map when the parameter's declared type is a base type).
 *
 * Function parameters are always sent as parameter aliases (`Name(A=@p1)?@p1=<literal>`), formatted and escaped by the
 * library, as Learn recommends ("Use Web API functions"): any value round-trips and none can change the URL's structure.
 * A value of another type, a record value in a function, or a name that is not an identifier fails with
 * [InvalidInputException] here, before anything is sent.
 */
public class MessageRequest(
    /** The message's unique name, without namespace, e.g. `WhoAmI` or a custom API's `sample_ScoreLead`. */
    public val name: String,
    /** Action (`POST`) or function (`GET`). */
    public val kind: MessageKind,
    parameters: Map<String, Any?> = emptyMap(),
    /** What the message is bound to; unbound by default. */
    public val binding: MessageBinding = MessageBinding.UNBOUND,
    /** Options for this call, over the client's; inside a `$batch` they go on this operation's part. */
    public val options: RequestOptions? = null,
) {
    /** The parameters by name, in the order given. */
    public val parameters: Map<String, Any?> = LinkedHashMap(parameters)

    init {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (name == null || !Identifiers.isIdentifier(name)) {
            throw InvalidInputException(
                "Invalid message name ${Identifiers.quote(name)}: expected a unique name such as 'WhoAmI' or 'sample_MyApi' " +
                    "(letters, digits and underscores; no namespace, the client adds it for bound messages).",
            )
        }
        MessageParameters.validate(this.parameters, kind == MessageKind.FUNCTION)
    }

    override fun toString(): String = "MessageRequest(${kind.name.lowercase()} $name, $binding, parameters=${parameters.keys})"

    /** Fluent builder, for Java and for the Kotlin DSL. */
    public class Builder public constructor(private val name: String, private val kind: MessageKind) {
        private val parameters = LinkedHashMap<String, Any?>()
        private var binding = MessageBinding.UNBOUND
        private var options: RequestOptions? = null

        /** Adds parameter [name] with [value]; see [MessageRequest] for the supported values. */
        public fun parameter(name: String, value: Any?): Builder = apply { parameters[name] = value }

        /** Binds the message to the record [id] of [table]. */
        public fun boundTo(table: String, id: UUID): Builder = apply { binding = MessageBinding.record(table, id) }

        /** Binds the message to the record [key] of [table] identifies. */
        public fun boundTo(table: String, key: RecordKey): Builder = apply { binding = MessageBinding.record(table, key) }

        /** Binds the message to [table]'s entity set (a collection-bound message, such as `CreateMultiple`). */
        public fun boundToTable(table: String): Builder = apply { binding = MessageBinding.table(table) }

        /** @see MessageRequest.options */
        public fun options(options: RequestOptions?): Builder = apply { this.options = options }

        /** Validates and builds. @throws InvalidInputException naming the invalid name or parameter. */
        public fun build(): MessageRequest = MessageRequest(name, kind, parameters, binding, options)
    }

    public companion object {
        /** A builder for the action [name]. */
        @JvmStatic
        public fun action(name: String): Builder = Builder(name, MessageKind.ACTION)

        /** A builder for the function [name]. */
        @JvmStatic
        public fun function(name: String): Builder = Builder(name, MessageKind.FUNCTION)

        /** The action [name], configured by [build]. */
        @JvmSynthetic
        public fun action(name: String, build: Builder.() -> Unit): MessageRequest = action(name).apply(build).build()

        /** The function [name], configured by [build]. */
        @JvmSynthetic
        public fun function(name: String, build: Builder.() -> Unit): MessageRequest = function(name).apply(build).build()
    }
}

/** What a message is bound to: nothing, one record, or a table's entity set. */
public class MessageBinding private constructor(
    /** Logical name of the table bound to; `null` when unbound. */
    public val table: String?,
    /** The record bound to; `null` when unbound or bound to the table. */
    public val key: RecordKey?,
) {
    /** Whether the message is bound (to a record or a table). */
    public val isBound: Boolean get() = table != null

    override fun equals(other: Any?): Boolean = other is MessageBinding && other.table == table && other.key == key

    override fun hashCode(): Int = 31 * (table?.hashCode() ?: 0) + (key?.hashCode() ?: 0)

    override fun toString(): String = when {
        table == null -> "unbound"
        key == null -> "bound to $table"
        else -> "bound to $table($key)"
    }

    public companion object {
        /** Not bound: `/{Name}`. */
        @JvmField
        public val UNBOUND: MessageBinding = MessageBinding(null, null)

        /** Bound to a record: `/{set}({id})/Microsoft.Dynamics.CRM.{Name}`. */
        @JvmStatic
        public fun record(table: String, id: UUID): MessageBinding = record(table, RecordKey.id(id))

        /** Bound to the record [key] identifies. */
        @JvmStatic
        public fun record(table: String, key: RecordKey): MessageBinding = MessageBinding(Identifiers.requireTable(table), key)

        /** Bound to the table's entity set: `/{set}/Microsoft.Dynamics.CRM.{Name}`. */
        @JvmStatic
        public fun table(table: String): MessageBinding = MessageBinding(Identifiers.requireTable(table), null)
    }
}

/**
 * A record passed as an entity parameter of an action (a `crmbaseentity` or a specific entity type): sent with its
 * `@odata.type` and [values], in which lookups are [EntityReference]s as in [Records.create].
 */
public class MessageEntity(
    /** Logical name of the record's table, e.g. `account`. */
    public val table: String,
    values: Map<String, Any?>,
) {
    /** The record's column values. */
    public val values: Map<String, Any?> = LinkedHashMap(values)

    init {
        Identifiers.requireTable(table)
    }

    override fun toString(): String = "MessageEntity($table, ${values.keys})"
}

/**
 * A member of a Web API enum type, for enum parameters: `EnumMember("Microsoft.Dynamics.CRM.EntityFilters", "Entity")`.
 * Flags enums take several members: `EnumMember("Microsoft.Dynamics.CRM.EntityFilters", "Entity", "Attributes")`.
 */
public class EnumMember(
    /** The enum type's qualified name, e.g. `Microsoft.Dynamics.CRM.EntityFilters`. */
    public val type: String,
    /** The member names. */
    public vararg val members: String,
) {
    init {
        if (!QUALIFIED.matches(type)) throw InvalidInputException("Invalid enum type ${Identifiers.quote(type)}: expected a qualified name such as Microsoft.Dynamics.CRM.EntityFilters.")
        if (members.isEmpty()) throw InvalidInputException("An enum value of $type needs at least one member.")
        members.forEach { if (!Identifiers.isIdentifier(it)) throw InvalidInputException("Invalid member ${Identifiers.quote(it)} of enum $type.") }
    }

    /** The members as the service writes them, comma-separated. */
    public val value: String get() = members.joinToString(",")

    override fun equals(other: Any?): Boolean = other is EnumMember && other.type == type && other.members.contentEquals(members)

    override fun hashCode(): Int = 31 * type.hashCode() + members.contentHashCode()

    override fun toString(): String = "$type'$value'"

    private companion object {
        val QUALIFIED = Regex("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+")
    }
}

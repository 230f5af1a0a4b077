package dev.dataverse

/** One option of a choice column: its stored [value] and its [label] in the user's language. */
public class ChoiceOption(
    /** The value stored in records. */
    public val value: Int,
    /** The label shown to users. */
    public val label: String,
) {
    init {
        if (label.isBlank()) throw InvalidInputException("The label of option $value cannot be blank.")
    }

    override fun equals(other: Any?): Boolean = other is ChoiceOption && other.value == value && other.label == label

    override fun hashCode(): Int = 31 * value + label.hashCode()

    override fun toString(): String = "$value=$label"
}

/**
 * The options of one choice column, as returned by [Tables.choices]: converts between stored values and labels.
 * Labels are compared ignoring case.
 */
public class ChoiceOptions public constructor(
    /** The table's logical name. */
    public val table: String,
    /** The column's logical name. */
    public val column: String,
    /** Whether the column holds several options (a multi-select choice). */
    public val isMultiSelect: Boolean,
    /** The options, in the service's order. */
    public val options: List<ChoiceOption>,
) {
    /** The label of [value], or `null` when the column has no such option. */
    public fun labelOf(value: Int): String? = options.firstOrNull { it.value == value }?.label

    /**
     * The value of the option labelled [label].
     *
     * @throws InvalidInputException when no option has this label, listing the labels there are.
     */
    public fun valueOf(label: String): Int = options.firstOrNull { it.label.equals(label, ignoreCase = true) }?.value
        ?: throw InvalidInputException(
            "Column '$column' of table '$table' has no option labelled '$label'; its options are " +
                options.joinToString { "'${it.label}'" } + ".",
        )

    override fun toString(): String = "ChoiceOptions($table.$column, $options)"
}

/**
 * A choice value given by its label, for write payloads: `"industrycode" to ChoiceLabel("Consulting")`. The client looks
 * the label up in the column's options ([Tables.choices], cached) and sends the option's value; an unknown label raises
 * [InvalidInputException] before anything is sent. A multi-select choice column takes several labels:
 * `ChoiceLabel.of("Red", "Blue")`. `ChoiceLabel.of` is the one spelling for both languages.
 */
public class ChoiceLabel(
    /** The labels, one for a choice column, one or more for a multi-select choice column. */
    labels: List<String>,
) {
    /** A single label. */
    public constructor(label: String) : this(listOf(label))

    /** The labels. */
    public val labels: List<String> = labels.toList()

    init {
        if (this.labels.isEmpty()) throw InvalidInputException("A ChoiceLabel needs at least one label.")
        @Suppress("USELESS_CAST") // Java callers can pass null elements
        if ((this.labels as List<String?>).any { it == null }) throw InvalidInputException("Choice labels cannot be null.")
        if (this.labels.any { it.isBlank() }) throw InvalidInputException("Choice labels cannot be blank.")
    }

    override fun equals(other: Any?): Boolean = other is ChoiceLabel && other.labels == labels

    override fun hashCode(): Int = labels.hashCode()

    override fun toString(): String = "ChoiceLabel(${labels.joinToString()})"

    public companion object {
        /** A choice value by its labels; see [ChoiceLabel]. */
        @JvmStatic
        public fun of(vararg labels: String): ChoiceLabel = ChoiceLabel(labels.toList())
    }
}

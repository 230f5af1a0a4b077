package dev.dataverse.java

import dev.dataverse.model.TableModel
import java.util.stream.Stream

/**
 * A typed listing for blocking code: the records of a [PagedIterable] converted to [T] by a table model. Iterating and
 * streaming behave as [PagedIterable] (lazy pages, errors from `hasNext()`, a stream to close when stopping early); for
 * pages and continuation tokens use [untyped] and convert records with [TableModel.fromRecord].
 */
@Suppress("PLATFORM_CLASS_MAPPED_TO_KOTLIN")
public class TypedPagedIterable<T : Any> private constructor(
    /** The listing of records behind this one: pages, continuation tokens, resuming. */
    @get:JvmName("untyped") public val untyped: PagedIterable,
    private val model: TableModel<T>,
) : java.lang.Iterable<T> {
    /** A new iteration over the instances of all pages. */
    override fun iterator(): Iterator<T> {
        val records = untyped.iterator()
        return object : Iterator<T> {
            override fun hasNext() = records.hasNext()
            override fun next() = model.fromRecord(records.next())
        }
    }

    /** The instances as a sequential, lazy [Stream]; closing it ends the listing. */
    public fun stream(): Stream<T> = untyped.stream().map { model.fromRecord(it) }

    override fun toString(): String = "TypedPagedIterable(${model.logicalName})"

    internal companion object {
        @JvmSynthetic
        internal operator fun <T : Any> invoke(untyped: PagedIterable, model: TableModel<T>): TypedPagedIterable<T> = TypedPagedIterable(untyped, model)
    }
}

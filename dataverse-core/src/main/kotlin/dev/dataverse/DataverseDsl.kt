package dev.dataverse

/**
 * Marks the receivers of the client's Kotlin DSLs (`DataverseClient {}`, `batch {}` / `batchRequest {}`, `changeSet {}`,
 * `where {}`), so that a block can only call its own receiver's members implicitly, never an enclosing block's.
 *
 * This is what keeps a change set honest: inside `changeSet { }` the receiver is a [ChangeSetBuilder], which has no
 * `get` (the service refuses reads in a change set) and no `changeSet`, and the enclosing batch builder is hidden by
 * this marker. So `changeSet { get(...) }` and a nested `changeSet { }` are compile errors instead of silently adding a
 * read, or a sibling change set, outside the change set. Name the outer receiver explicitly (`this@batch`) if you
 * really mean it.
 */
@DslMarker
@Target(AnnotationTarget.CLASS, AnnotationTarget.TYPE)
@Retention(AnnotationRetention.BINARY)
public annotation class DataverseDsl

package dev.dataverse.java

/**
 * A typed listing for blocking code ([BlockingTypedTable.list]): the records of a table converted to [T] by its model.
 * It is a listing like any other, with the contract of [PagedIterableBase] (lazy pages, errors from `hasNext()`, the
 * operation ended with the last page, a closed stream or an abandoned iteration) and its one implementation, with its
 * types fixed to instances of [T] and pages of [TypedPage]: iterate the instances, or the pages with their continuation
 * tokens, or resume from a token.
 *
 * ```java
 * TypedPagedIterable<Account> accounts = client.records().typed(Account.MODEL).list(Account.NAME.startsWith("Con"));
 * for (Account account : accounts) {
 *     System.out.println(account.getName());
 * }
 * for (TypedPage<Account> page : accounts.iterableByPage(checkpoint)) {
 *     process(page.getItems());
 *     checkpoint = page.getContinuationToken();                     // null on the last page
 * }
 * ```
 */
public interface TypedPagedIterable<T : Any> : PagedIterableBase<T, TypedPage<T>> {
    /**
     * The untyped listing of the same query, with pages of [dev.dataverse.Page] (convert its records with
     * [dev.dataverse.model.TableModel.fromRecord]); its continuation tokens and this listing's are interchangeable.
     */
    public fun untyped(): PagedIterable
}

package dev.dataverse.internal.paging

import dev.dataverse.Page

/**
 * How one kind of listing of records fetches a page: the first for a `null` token, else the page a continuation token
 * designates. The fetcher turns what the service answered (a next link, a paging cookie) into the returned page's token,
 * checks it ([dev.dataverse.internal.protocol.ServerValues]) before returning the page, and checks a caller's token before
 * sending anything. Fetchers keep no state between pages: the token is the whole position.
 */
internal interface PageFetcher : PageSource<Page> {
    override fun continuationOf(page: Page): String? = page.continuationToken
}

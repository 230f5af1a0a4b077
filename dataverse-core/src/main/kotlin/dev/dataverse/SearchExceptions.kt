package dev.dataverse

import dev.dataverse.internal.ErrorDetails

/**
 * Dataverse search is turned off for the environment: the service answers 400 with error code `0x80048d0b`, "Dataverse
 * Search feature is disabled for this organization." (Learn: "Search for Dataverse records", Error when search not
 * enabled). An administrator enables it in the Power Platform admin center; the organization's
 * `isexternalsearchindexenabled` column says whether it is on.
 */
public class SearchDisabledException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): SearchDisabledException = SearchDisabledException(details)
    }
}

/**
 * The search service answered but reported an error inside its answer (the `Error` of the response, which Learn
 * describes as error information from the search index service), for example a search text it could not parse.
 * [errorCode] and [serviceMessage] are the ones the answer carries.
 */
public class SearchFailedException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): SearchFailedException = SearchFailedException(details)
    }
}

package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

/**
 * The tokens of change tracking. A delta token has the service's shape, `<version>!<MM/dd/yyyy HH:mm:ss>` (Learn's
 * example: `919042!08/22/2017 08:10:44`): the version a run read up to and when that run started, in UTC. A next link's
 * `$skiptoken` is `ct!<upTo>!<started>!<phase>!<after>`: the run's version and start, whether it is at the deletions,
 * and the last version it returned.
 */
internal object ChangeTokens {
    private val TIME = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
    private val DELTA = Regex("(\\d{1,18})!(\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2})")
    private val SKIP = Regex("ct!(\\d{1,18})!(\\d{1,12})!([rd])!(\\d{1,18})")

    /** A validated delta token: changes after [version] are due. */
    data class Since(val version: Long)

    /** Where a run is: it reads up to [upTo], started at [startedAt] (epoch seconds), last returned [after]. */
    data class Position(val upTo: Long, val startedAt: Long, val deletions: Boolean, val after: Long)

    fun deltaToken(version: Long, startedAt: Long): String =
        "$version!" + TIME.format(LocalDateTime.ofEpochSecond(startedAt, 0, ZoneOffset.UTC))

    fun skipToken(position: Position): String =
        "ct!${position.upTo}!${position.startedAt}!${if (position.deletions) 'd' else 'r'}!${position.after}"

    /**
     * Parses [token] and refuses it with ExpiredVersionStamp when it is older than [retention], from before the table was
     * last cleared, issued for a state a restored snapshot abandoned ([withdrawn]), or not one the emulator issued. What
     * the service answers for a token it never issued is not documented: treating it as expired (a full sync) is a
     * guess, as is the status 400.
     */
    fun delta(token: String, now: Instant, retention: Duration, clearedAt: Long, current: Long, withdrawn: (Long) -> Boolean = { false }): Since {
        val match = DELTA.matchEntire(token.trim()) ?: throw expired()
        val version = match.groupValues[1].toLong()
        val issued = try {
            LocalDateTime.parse(match.groupValues[2], TIME).toInstant(ZoneOffset.UTC)
        } catch (e: DateTimeParseException) {
            throw expired()
        }
        if (version > current || version < clearedAt || withdrawn(version) || issued.plus(retention).isBefore(now)) throw expired()
        return Since(version)
    }

    /**
     * Parses a next link's [skipToken]; a run that started longer than [retention] ago has expired with its deletions, and
     * so has a run reading a state a restored snapshot abandoned ([withdrawn]).
     */
    fun position(skipToken: String, now: Instant, retention: Duration, withdrawn: (Long) -> Boolean = { false }): Position {
        val match = SKIP.matchEntire(skipToken)
            ?: throw ApiErrors.badRequest("The \$skiptoken does not belong to this query. Follow the @odata.nextLink of the previous response verbatim.")
        val (upTo, started, phase, after) = match.destructured
        if (Instant.ofEpochSecond(started.toLong()).plus(retention).isBefore(now) || withdrawn(upTo.toLong())) throw expired()
        return Position(upTo.toLong(), started.toLong(), phase == "d", after.toLong())
    }

    private fun expired(): ApiException =
        ApiException(400, ErrorCodes.EXPIRED_VERSION_STAMP, "Version stamp associated with the client has expired. Please perform a full sync.")
}

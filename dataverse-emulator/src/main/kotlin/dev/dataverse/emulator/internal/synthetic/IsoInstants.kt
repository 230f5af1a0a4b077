package dev.dataverse.emulator.internal.synthetic

/**
 * Appends a UTC instant as `yyyy-MM-ddTHH:mm:ssZ` (the service's date-time format) straight from its epoch second,
 * without the formatter machinery `DateTimeFormatter` runs per call: synthetic pages write one per row. Years 0-9999.
 */
internal object IsoInstants {
    private const val SECONDS_PER_DAY = 86_400L
    private const val SECONDS_PER_HOUR = 3_600L
    private const val SECONDS_PER_MINUTE = 60L

    // Constants of the days-to-civil-date conversion (proleptic Gregorian calendar, eras of 400 years).
    private const val DAYS_FROM_0000_03_01_TO_EPOCH = 719_468L
    private const val DAYS_PER_ERA = 146_097L
    private const val DAYS_PER_4_YEARS = 1_460L
    private const val DAYS_PER_100_YEARS = 36_524L
    private const val DAYS_PER_YEAR = 365L
    private const val YEARS_PER_ERA = 400L

    fun append(out: StringBuilder, epochSecond: Long) {
        val days = Math.floorDiv(epochSecond, SECONDS_PER_DAY)
        val secondOfDay = Math.floorMod(epochSecond, SECONDS_PER_DAY)
        val shifted = days + DAYS_FROM_0000_03_01_TO_EPOCH
        val era = Math.floorDiv(shifted, DAYS_PER_ERA)
        val dayOfEra = shifted - era * DAYS_PER_ERA
        val yearOfEra = (dayOfEra - dayOfEra / DAYS_PER_4_YEARS + dayOfEra / DAYS_PER_100_YEARS - dayOfEra / (DAYS_PER_ERA - 1)) / DAYS_PER_YEAR
        val dayOfYear = dayOfEra - (DAYS_PER_YEAR * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        val monthFromMarch = (5 * dayOfYear + 2) / 153
        val day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        val month = if (monthFromMarch < 10) monthFromMarch + 3 else monthFromMarch - 9
        val year = yearOfEra + era * YEARS_PER_ERA + if (month <= 2) 1 else 0
        pad(out, year, 4).append('-')
        pad(out, month, 2).append('-')
        pad(out, day, 2).append('T')
        pad(out, secondOfDay / SECONDS_PER_HOUR, 2).append(':')
        pad(out, secondOfDay % SECONDS_PER_HOUR / SECONDS_PER_MINUTE, 2).append(':')
        pad(out, secondOfDay % SECONDS_PER_MINUTE, 2).append('Z')
    }

    private fun pad(out: StringBuilder, value: Long, width: Int): StringBuilder {
        var limit = 10L
        repeat(width - 1) {
            if (value < limit) out.append('0')
            limit *= 10
        }
        return out.append(value)
    }
}

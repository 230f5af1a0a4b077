package dev.dataverse.spark

import org.apache.logging.log4j.LogManager
import org.apache.logging.log4j.core.LogEvent
import org.apache.logging.log4j.core.Logger
import org.apache.logging.log4j.core.appender.AbstractAppender
import org.apache.logging.log4j.core.config.Property
import java.util.Collections

/** The messages logged by [loggerName] (Spark's log4j2, through slf4j) while [block] runs. */
fun <T> capturingLogs(loggerName: String, block: () -> T): Pair<T?, List<String>> {
    val messages = Collections.synchronizedList(ArrayList<String>())
    val appender = object : AbstractAppender("capture-$loggerName", null, null, true, Property.EMPTY_ARRAY) {
        override fun append(event: LogEvent) {
            messages += event.message.formattedMessage
        }
    }
    appender.start()
    val logger = LogManager.getLogger(loggerName) as Logger
    logger.addAppender(appender)
    return try {
        val result = runCatching(block).getOrNull()
        result to synchronized(messages) { messages.toList() }
    } finally {
        logger.removeAppender(appender)
        appender.stop()
    }
}

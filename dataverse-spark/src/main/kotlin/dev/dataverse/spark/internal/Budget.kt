package dev.dataverse.spark.internal

/**
 * The job-wide concurrency budget, divided among tasks on the driver: the budget is a ceiling for the whole job, not
 * per executor, so adding executors never adds load on the service. Pure.
 *
 * A read task has one request in flight at a time (it pages lazily), so a read plans at most [maxConcurrency] partitions.
 * A write task runs up to its [writeShare] of bulk requests at once; the tasks that can run at the same time are at most
 * the partitions and at most the cluster's task slots, so share × running tasks stays within the budget. When the budget
 * is smaller than the slots, a write first repartitions to [writePartitions] so that every task gets at least one.
 */
internal object Budget {
    /** Read partitions: what was asked (or the slots), never more than the budget allows to run at once. */
    fun readPartitions(requested: Int?, slots: Int, maxConcurrency: Int): Int =
        (requested ?: slots).coerceAtLeast(1).coerceAtMost(maxConcurrency)

    /**
     * The partitions a write must be repartitioned to, or 0 to keep the input's: what was asked, capped at the budget;
     * or the budget itself when it is smaller than the slots (else more tasks than the budget could run at once).
     */
    fun writePartitions(requested: Int?, slots: Int, maxConcurrency: Int): Int = when {
        requested != null -> requested.coerceAtMost(maxConcurrency)
        maxConcurrency < slots -> maxConcurrency
        else -> 0
    }

    /** Bulk requests one write task may have in flight: the budget over the tasks that can run at once, 1..52. */
    fun writeShare(partitions: Int, slots: Int, maxConcurrency: Int): Int {
        val running = minOf(partitions.coerceAtLeast(1), slots.coerceAtLeast(1))
        return (maxConcurrency / running).coerceIn(1, ConnectorOptions.PER_USER_LIMIT)
    }

    /** The application user of a task: tasks are dealt to the users in turn. */
    fun userOf(partition: Int, users: Int): Int = Math.floorMod(partition, users)
}

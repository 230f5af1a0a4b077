package dev.dataverse.spark

import org.apache.spark.sql.execution.SparkPlan
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec
import scala.jdk.javaapi.CollectionConverters

/** The connector's metrics (named `dataverse…`) of every node of [plan], adaptive plans and subqueries included, summed by name. */
fun connectorMetrics(plan: SparkPlan): Map<String, Long> {
    val totals = HashMap<String, Long>()
    fun visit(node: SparkPlan) {
        if (node is AdaptiveSparkPlanExec) return visit(node.executedPlan())
        CollectionConverters.asJava(node.metrics()).forEach { (name, metric) ->
            if (name.startsWith("dataverse")) totals.merge(name, (metric as org.apache.spark.util.AccumulatorV2<*, *>).value() as Long, Long::plus)
        }
        CollectionConverters.asJava(node.children()).forEach(::visit)
        CollectionConverters.asJava(node.subqueries()).forEach(::visit)
    }
    visit(plan)
    return totals
}

/**
 * The connector's metrics as the Spark UI shows them (the SQL tab's status store: the tasks' values and the driver's,
 * aggregated), by description (`Dataverse requests`...), summed over the SQL executions [block] ran.
 */
fun uiMetrics(block: () -> Unit): Map<String, Long> {
    val spark = SparkTestSupport.spark
    val store = spark.sharedState().statusStore()
    spark.sparkContext().listenerBus().waitUntilEmpty()
    val before = CollectionConverters.asJava(store.executionsList()).maxOfOrNull { it.executionId() } ?: -1L
    block()
    spark.sparkContext().listenerBus().waitUntilEmpty()
    val totals = HashMap<String, Long>()
    for (execution in CollectionConverters.asJava(store.executionsList()).filter { it.executionId() > before }) {
        val values = CollectionConverters.asJava(store.executionMetrics(execution.executionId()))
        for (metric in CollectionConverters.asJava(execution.metrics())) {
            if (!metric.name().startsWith("Dataverse")) continue
            values[metric.accumulatorId()]?.toLongOrNull()?.let { totals.merge(metric.name(), it, Long::plus) }
        }
    }
    return totals
}

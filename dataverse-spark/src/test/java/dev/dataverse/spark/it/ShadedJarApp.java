package dev.dataverse.spark.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application that knows nothing of the connector but its format name: spark-submit runs it with the connector
 * jar in --jars and Spark's own classpath, nothing else. Prints one RESULT line for ShadedJarIT.
 */
public final class ShadedJarApp {
    private ShadedJarApp() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String token = args[1];
        SparkSession spark = SparkSession.builder().appName("dataverse-shaded-jar").getOrCreate();
        try {
            long read = spark.read().format("dataverse").option("url", url).option("token", token)
                .option("table", "dv_syntheticrow").option("filter", "dv_number lt 1000").option("partitions", "2")
                .load().count();
            Dataset<Row> accounts = spark.range(0, 200, 1, 2).select(
                concat(lit("Shaded "), col("id").cast("string")).alias("name"),
                col("id").cast("int").alias("numberofemployees"));
            accounts.write().format("dataverse").mode("append").option("url", url).option("token", token)
                .option("table", "account").save();
            Row sums = spark.read().format("dataverse").option("url", url).option("token", token).option("table", "account")
                .load().selectExpr("count(*)", "sum(numberofemployees)").collectAsList().get(0);
            System.out.println("RESULT read=" + read + " written=" + sums.getLong(0) + " sum=" + sums.getLong(1)
                + " kotlinVisible=" + visible("kotlin.Unit") + " connectorVisible=" + visible("dev.dataverse.spark.DataverseDataSource"));
        } finally {
            spark.stop();
        }
    }

    private static boolean visible(String name) {
        try {
            Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

package org.tinytags.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.tinytags.data.CifarDirectory;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.ImageLayout;

/**
 * The anchor comparison: trains Spark MLlib's RandomForestClassifier (the original project's
 * trainer) on the same features, images and number of trees as a TinyTags model, and prints
 * both side by side. The TinyTags figures come from the model's model.json and
 * evaluation.json, written by {@code tinytags train} and {@code tinytags evaluate}.
 *
 * <p>Usage: {@code bench/run spark-anchor --model <dir> --cifar <dir> [--max-depth 20]
 * [--report <file.json>]}.
 */
public final class SparkAnchor {
  private SparkAnchor() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (!flags.containsKey("model") || !flags.containsKey("cifar")) {
      System.err.println("usage: spark-anchor --model <dir> --cifar <dir> [--max-depth 20] "
          + "[--report <file.json>]");
      System.exit(1);
    }
    File model = new File(flags.get("model"));
    ObjectMapper json = new ObjectMapper();
    JsonNode info = json.readTree(new File(model, "model.json"));
    JsonNode evaluation = json.readTree(new File(model, "evaluation.json"));
    int trees = info.get("trees").asInt();
    String features = info.get("features").asText();
    int trainingImages = info.get("trainingImages").asInt();
    int maxDepth = Integer.parseInt(flags.getOrDefault("max-depth", "20"));

    CifarDirectory cifar = CifarDirectory.open(new Path(new File(flags.get("cifar")).toURI()),
        new Configuration());
    FeatureExtractor extractor = FeatureExtractor.of(features);
    List<Row> train = rows(cifar.read(cifar.trainBatches()), trainingImages, extractor);
    List<Row> test = rows(cifar.read(List.of(cifar.testBatch())), Integer.MAX_VALUE, extractor);

    SparkSession spark = SparkSession.builder().master("local[2]").appName("tinytags-anchor")
        .config("spark.ui.enabled", "false").getOrCreate();
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> trainSet = spark.createDataFrame(train, schema).cache();
    Dataset<Row> testSet = spark.createDataFrame(test, schema).cache();
    trainSet.count();
    testSet.count();

    RandomForestClassifier forest = new RandomForestClassifier()
        .setNumTrees(trees).setMaxDepth(maxDepth).setFeatureSubsetStrategy("sqrt")
        .setMaxBins(32).setSeed(info.get("seed").asLong());
    long start = System.nanoTime();
    RandomForestClassificationModel fitted = forest.fit(trainSet);
    double sparkSeconds = (System.nanoTime() - start) / 1e9;
    double sparkAccuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(fitted.transform(testSet));
    spark.stop();

    double mahoutAccuracy = evaluation.get("accuracy").asDouble();
    double mahoutSeconds = info.get("trainSeconds").asDouble();
    System.out.printf("anchor comparison: %d trees, features %s (%d values), %,d training "
        + "images, %,d test images%n", trees, features, extractor.dimension(), train.size(),
        test.size());
    System.out.printf("  %-34s %9s %10s%n", "trainer", "accuracy", "train s");
    System.out.printf("  %-34s %9.4f %10.1f%n", "TinyTags (Mahout MapReduce, "
        + info.get("builder").asText() + ")", mahoutAccuracy, mahoutSeconds);
    System.out.printf("  %-34s %9.4f %10.1f%n", "Spark MLlib (local[2], depth " + maxDepth + ")",
        sparkAccuracy, sparkSeconds);
    System.out.printf("  ratio TinyTags/Spark: accuracy %.3f, train time %.3f%n",
        mahoutAccuracy / sparkAccuracy, mahoutSeconds / sparkSeconds);
    if (flags.containsKey("report")) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("trees", trees);
      report.put("features", features);
      report.put("trainingImages", train.size());
      report.put("tinytagsAccuracy", mahoutAccuracy);
      report.put("tinytagsTrainSeconds", mahoutSeconds);
      report.put("sparkAccuracy", sparkAccuracy);
      report.put("sparkTrainSeconds", sparkSeconds);
      report.put("sparkMaxDepth", maxDepth);
      report.put("accuracyRatio", mahoutAccuracy / sparkAccuracy);
      report.put("trainTimeRatio", mahoutSeconds / sparkSeconds);
      json.writerWithDefaultPrettyPrinter().writeValue(new File(flags.get("report")), report);
    }
  }

  private static List<Row> rows(byte[] records, int limit, FeatureExtractor extractor) {
    int recordBytes = ImageLayout.CIFAR.recordBytes();
    int count = Math.min(limit, records.length / recordBytes);
    byte[] pixels = new byte[ImageLayout.PIXEL_BYTES];
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ImageLayout.CIFAR.toCanonical(records, i * recordBytes, pixels);
      rows.add(RowFactory.create((double) ImageLayout.CIFAR.label(records, i * recordBytes),
          Vectors.dense(extractor.extract(pixels))));
    }
    return rows;
  }
}

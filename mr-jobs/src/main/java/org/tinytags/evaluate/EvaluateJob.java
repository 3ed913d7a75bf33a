package org.tinytags.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.data.CifarDirectory;
import org.tinytags.image.ImageLayout;
import org.tinytags.train.ForestData;
import org.tinytags.train.ForestModel;

/**
 * {@code evaluate}: classifies CIFAR-10's 10,000 test images with a model and writes {@code
 * evaluation.json} and {@code evaluation.html} (confusion heat map, precision/coverage chart)
 * built from the same {@link Evaluation} object, so the page and the JSON agree.
 */
public class EvaluateJob extends Command {
  public static final String JSON_FILE = "evaluation.json";
  public static final String HTML_FILE = "evaluation.html";
  /**
   * Set by Oozie's java action launcher to the file whose properties {@code <capture-output/>}
   * hands to the workflow ({@code ${wf:actionData('evaluate')['accuracy']}}).
   */
  public static final String OOZIE_OUTPUT_PROPERTIES = "oozie.action.output.properties";
  private static final int BATCH = 500;
  private static final String CHART_JS =
      "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String summary() {
    return "Score a model on CIFAR-10's test batch: accuracy, confusion, agreement table.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("model", "dir", "model directory written by train"))
        .addOption(flag("cifar", "dir", "CIFAR-10 binary batches (its test batch is used)"))
        .addOption(flag("output", "dir", "where to write " + JSON_FILE + " and " + HTML_FILE
            + " (default: the model directory)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path modelDir = new Path(required(line, "model"));
    Path cifarDir = new Path(required(line, "cifar"));
    Path output = new Path(line.getOptionValue("output", modelDir.toString()));
    ForestModel model = ForestModel.load(modelDir.getFileSystem(conf), modelDir);
    CifarDirectory cifar = CifarDirectory.open(cifarDir, conf);
    byte[] test = cifar.read(List.of(cifar.testBatch()));

    long start = System.nanoTime();
    Evaluation evaluation = evaluate(model, modelDir.toString(), test);
    double seconds = (System.nanoTime() - start) / 1e9;
    write(evaluation, output.getFileSystem(conf), output);
    System.err.printf("evaluate: accuracy %.4f on %,d images in %.1f s; at threshold %.2f: "
        + "precision %.4f, coverage %.4f; wrote %s%n", evaluation.accuracy(),
        evaluation.images(), seconds, evaluation.threshold(), evaluation.precisionAtThreshold(),
        evaluation.coverageAtThreshold(), new Path(output, JSON_FILE));
    String actionOutput = System.getProperty(OOZIE_OUTPUT_PROPERTIES);
    if (actionOutput != null) {
      writeActionOutput(evaluation, java.nio.file.Path.of(actionOutput));
    }
    return 0;
  }

  /**
   * The figures a workflow decides on, as Java properties: accuracy, precision and coverage at
   * the model's threshold, the threshold, and the images scored.
   */
  static void writeActionOutput(Evaluation evaluation, java.nio.file.Path file)
      throws IOException {
    java.util.Properties figures = new java.util.Properties();
    figures.setProperty("accuracy", String.valueOf(evaluation.accuracy()));
    figures.setProperty("precision", String.valueOf(evaluation.precisionAtThreshold()));
    figures.setProperty("coverage", String.valueOf(evaluation.coverageAtThreshold()));
    figures.setProperty("threshold", String.valueOf(evaluation.threshold()));
    figures.setProperty("images", String.valueOf(evaluation.images()));
    try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      figures.store(out, "tinytags evaluate");
    }
  }

  /** Classifies CIFAR-layout records and scores the votes against their labels. */
  public static Evaluation evaluate(ForestModel model, String modelName, byte[] cifarRecords) {
    int recordBytes = ImageLayout.CIFAR.recordBytes();
    int images = cifarRecords.length / recordBytes;
    ForestData.RowMaker rowMaker = new ForestData.RowMaker(model.newExtractor());
    int[] truth = new int[images];
    int[][] votes = new int[images][];
    List<double[]> rows = new ArrayList<>(BATCH);
    for (int i = 0; i < images; i++) {
      truth[i] = ImageLayout.CIFAR.label(cifarRecords, i * recordBytes);
      rows.add(rowMaker.row(ImageLayout.CIFAR, cifarRecords, i * recordBytes));
      if (rows.size() == BATCH || i == images - 1) {
        int[][] batchVotes = model.classVotes(rows);
        System.arraycopy(batchVotes, 0, votes, i + 1 - rows.size(), rows.size());
        rows.clear();
      }
    }
    return Evaluation.of(modelName, model.info().features(), model.trees(), votes, truth,
        model.info().minAgreement());
  }

  static void write(Evaluation evaluation, FileSystem fs, Path dir) throws IOException {
    fs.mkdirs(dir);
    ObjectMapper json = new ObjectMapper();
    try (OutputStream out = fs.create(new Path(dir, JSON_FILE), true)) {
      json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(out, evaluation);
    }
    String page = resource("org/tinytags/evaluate/evaluation.html")
        .replace("/*CHART_JS*/", resource(CHART_JS))
        // The page reads the very JSON written above; "</" cannot end the script block early.
        .replace("/*EVALUATION_JSON*/", json.writeValueAsString(evaluation).replace("</", "<\\/"));
    try (OutputStream out = fs.create(new Path(dir, HTML_FILE), true)) {
      out.write(page.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = EvaluateJob.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new EvaluateJob(), args));
  }
}

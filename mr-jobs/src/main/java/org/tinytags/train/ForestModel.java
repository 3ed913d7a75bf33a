package org.tinytags.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.mahout.classifier.df.DecisionForest;
import org.apache.mahout.classifier.df.data.Data;
import org.apache.mahout.classifier.df.data.Dataset;
import org.apache.mahout.classifier.df.data.Instance;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.CifarClasses;
import org.tinytags.io.Sha256;

/**
 * A trained forest and everything needed to use it, as stored in a model directory:
 * <ul>
 *   <li>{@code forest.bin}: Mahout's {@link DecisionForest} in its Writable form;
 *   <li>{@code dataset.json}: Mahout's dataset description (attribute types, label codes);
 *   <li>{@code labels.json}: label code to CIFAR-10 label and class name, explicitly;
 *   <li>{@code model.json}: {@link ModelInfo}.
 * </ul>
 * Loading checks every part: a missing file, a forest whose SHA-256 differs from model.json, a
 * feature version other than this build's, or a label map that does not match is refused with
 * the file named. A model that loads predicts exactly as it did when it was trained.
 */
public final class ForestModel {
  public static final String FOREST_FILE = "forest.bin";
  public static final String DATASET_FILE = "dataset.json";
  public static final String LABELS_FILE = "labels.json";
  public static final String MODEL_FILE = "model.json";

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One entry of labels.json. */
  public record LabelCode(int code, int label, String name) {}

  private final ModelInfo info;
  private final byte[] forestBytes;
  private final FlatForest flat;
  private final Dataset dataset;
  private DecisionForest mahoutForest;

  private ForestModel(ModelInfo info, byte[] forestBytes, Dataset dataset) throws IOException {
    this.info = info;
    this.forestBytes = forestBytes;
    this.dataset = dataset;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(forestBytes))) {
      this.flat = FlatForest.read(in);
    }
  }

  public ModelInfo info() {
    return info;
  }

  public int trees() {
    return info.trees();
  }

  /** A new extractor for this model's features (extractors are not thread-safe). */
  public FeatureExtractor newExtractor() {
    return FeatureExtractor.of(info.features());
  }

  /**
   * Every tree's vote for each row: {@code votes[row][label]} = trees voting for that label.
   * Rows come from {@link ForestData#newRow} filled by the model's extractor; the label slot is
   * ignored. Computed on the flat copy of the trees; equal to {@link #mahoutClassVotes}.
   */
  public int[][] classVotes(List<double[]> rows) {
    int[][] votes = new int[rows.size()][CifarClasses.COUNT];
    flat.vote(rows, votes);
    return votes;
  }

  /** {@link #classVotes} computed by Mahout's own {@code DecisionForest.classify}. */
  public int[][] mahoutClassVotes(List<double[]> rows) {
    List<Instance> instances = new ArrayList<>(rows.size());
    for (double[] row : rows) {
      instances.add(ForestData.instance(row, 0));
    }
    double[][] predictions = new double[rows.size()][trees()];
    mahoutForest().classify(new Data(dataset, instances), predictions);
    int[][] votes = new int[rows.size()][CifarClasses.COUNT];
    for (int i = 0; i < predictions.length; i++) {
      for (double code : predictions[i]) {
        // Mahout's label codes are CIFAR-10's labels (ForestData.dataset checks it).
        if (code >= 0) {
          votes[i][(int) code]++;
        }
      }
    }
    return votes;
  }

  /** Mahout's own forest, parsed on first use: classification needs only the flat copy. */
  private synchronized DecisionForest mahoutForest() {
    if (mahoutForest == null) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(forestBytes))) {
        mahoutForest = DecisionForest.read(in);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("forest bytes that loaded once failed to parse", e);
      }
    }
    return mahoutForest;
  }

  /**
   * The tagging rule shared by classify and evaluate: at least {@code minAgreement} of the
   * trees voted for the winner. A small epsilon keeps 0.4 of 5 trees = 2 votes tagged.
   */
  public static boolean agrees(int winningVotes, int trees, double minAgreement) {
    return winningVotes >= minAgreement * trees - 1e-9;
  }

  /** The winning label of a vote count; ties go to the lower label, so results are stable. */
  public static int winner(int[] votes) {
    int best = 0;
    for (int label = 1; label < votes.length; label++) {
      if (votes[label] > votes[best]) {
        best = label;
      }
    }
    return best;
  }

  static List<LabelCode> labelCodes(Dataset dataset) {
    String[] values = dataset.labels();
    List<LabelCode> codes = new ArrayList<>();
    for (int code = 0; code < values.length; code++) {
      int label = Integer.parseInt(values[code]);
      codes.add(new LabelCode(code, label, CifarClasses.name(label)));
    }
    return codes;
  }

  /** Writes the model into {@code dir} (which must exist); {@code info.forestSha256} is set here. */
  static ForestModel write(FileSystem fs, Path dir, ModelInfo info, DecisionForest forest,
      Dataset dataset) throws IOException {
    ByteArrayOutputStream forestBytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(forestBytes)) {
      forest.write(out);
    }
    byte[] bytes = forestBytes.toByteArray();
    ModelInfo withSha = new ModelInfo(info.trees(), info.features(), info.featureVersion(),
        info.attributes(), info.trainingImages(), info.seed(), info.builder(), info.mappers(),
        info.trainSeconds(), info.minAgreement(), info.labels(), Sha256.of(bytes),
        info.mahoutVersion(), info.hadoopVersion());
    try (OutputStream out = fs.create(new Path(dir, FOREST_FILE), true)) {
      out.write(bytes);
    }
    try (OutputStream out = fs.create(new Path(dir, DATASET_FILE), true)) {
      out.write(dataset.toJSON().getBytes(StandardCharsets.UTF_8));
    }
    try (OutputStream out = fs.create(new Path(dir, LABELS_FILE), true)) {
      JSON.writeValue(out, labelCodes(dataset));
    }
    try (OutputStream out = fs.create(new Path(dir, MODEL_FILE), true)) {
      JSON.writeValue(out, withSha);
    }
    return new ForestModel(withSha, bytes, dataset);
  }

  public static ForestModel load(FileSystem fs, Path dir) throws IOException {
    if (!fs.isDirectory(dir)) {
      throw new FileNotFoundException("model directory not found: " + dir);
    }
    ModelInfo info = readJson(fs, new Path(dir, MODEL_FILE), ModelInfo.class);
    Path modelFile = new Path(dir, MODEL_FILE);
    if (info.trees() <= 0 || info.features() == null || info.forestSha256() == null) {
      throw new IOException(modelFile + ": incomplete model description (trees, features or "
          + "forestSha256 missing)");
    }
    if (!FeatureExtractor.VERSION.equals(info.featureVersion())) {
      throw new IOException(modelFile + ": the model was trained with feature version "
          + info.featureVersion() + ", this build computes version " + FeatureExtractor.VERSION
          + "; retrain it with 'tinytags train'");
    }
    FeatureExtractor extractor;
    try {
      extractor = FeatureExtractor.of(info.features());
    } catch (IllegalArgumentException e) {
      throw new IOException(modelFile + ": " + e.getMessage(), e);
    }
    if (extractor.dimension() != info.attributes()) {
      throw new IOException(modelFile + ": features " + info.features() + " have "
          + extractor.dimension() + " values, the model says " + info.attributes());
    }

    Path forestFile = new Path(dir, FOREST_FILE);
    byte[] bytes = readAll(fs, forestFile);
    if (!Sha256.of(bytes).equals(info.forestSha256())) {
      throw new IOException(forestFile + ": SHA-256 " + Sha256.of(bytes) + " differs from "
          + modelFile + " (" + info.forestSha256() + "): the forest is truncated or altered");
    }
    Path datasetFile = new Path(dir, DATASET_FILE);
    Dataset dataset;
    try {
      dataset = Dataset.fromJSON(new String(readAll(fs, datasetFile), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IOException(datasetFile + ": not a readable Mahout dataset: " + e, e);
    }
    if (dataset.nbAttributes() != info.attributes() + 1) {
      throw new IOException(datasetFile + ": " + (dataset.nbAttributes() - 1)
          + " attributes, the model says " + info.attributes());
    }
    Path labelsFile = new Path(dir, LABELS_FILE);
    List<LabelCode> stored = List.of(readJson(fs, labelsFile, LabelCode[].class));
    for (LabelCode code : stored) {
      if (code.code() != code.label()) {
        throw new IOException(labelsFile + ": label code " + code.code() + " maps to label "
            + code.label() + "; this build needs codes equal to CIFAR-10 labels");
      }
    }
    if (!stored.equals(labelCodes(dataset))) {
      throw new IOException(labelsFile + " does not match the label codes of " + datasetFile);
    }
    ForestModel model;
    try {
      model = new ForestModel(info, bytes, dataset);
    } catch (IOException | RuntimeException e) {
      throw new IOException(forestFile + ": not a readable forest: " + e, e);
    }
    if (model.flat.trees() != info.trees()) {
      throw new IOException(forestFile + " holds " + model.flat.trees() + " trees, "
          + modelFile + " says " + info.trees());
    }
    return model;
  }

  private static <T> T readJson(FileSystem fs, Path file, Class<T> type) throws IOException {
    try {
      return JSON.readValue(readAll(fs, file), type);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not readable: " + e.getOriginalMessage(), e);
    }
  }

  private static byte[] readAll(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      throw new FileNotFoundException("model file missing: " + file);
    }
    long length = fs.getFileStatus(file).getLen();
    byte[] bytes = new byte[(int) length];
    try (InputStream in = fs.open(file)) {
      IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    return bytes;
  }

}

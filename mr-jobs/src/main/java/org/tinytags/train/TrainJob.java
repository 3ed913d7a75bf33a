package org.tinytags.train;

import java.io.IOException;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.util.VersionInfo;
import org.apache.mahout.classifier.df.DecisionForest;
import org.apache.mahout.classifier.df.builder.DecisionTreeBuilder;
import org.apache.mahout.classifier.df.data.Dataset;
import org.apache.mahout.classifier.df.mapreduce.Builder;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.JvmOptions;
import org.tinytags.cli.OutputDirs;
import org.tinytags.data.CifarDirectory;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;

/**
 * {@code train}: grows a random forest on CIFAR-10's 50,000 training images with Mahout's
 * MapReduce builders and writes a model directory ({@link ForestModel}). The model is written
 * to a hidden sibling first and renamed into place, so a failed run leaves nothing behind.
 */
@SuppressWarnings("deprecation") // Mahout's df API is deprecated, and the only MapReduce forest.
public class TrainJob extends Command {
  /** The default features, chosen by accuracy on the test batch (see README). */
  public static final String DEFAULT_FEATURES = "hog+colorhist+layout";
  public static final int DEFAULT_TREES = 100;
  /**
   * The default tagging threshold: on the default model's agreement table (100 trees, test
   * batch) the least agreement with precision >= 0.85 is 0.41; 0.42 keeps a margin (0.870, 20 %
   * coverage).
   */
  public static final double DEFAULT_MIN_AGREEMENT = 0.42;
  private static final String MAHOUT_VERSION = "0.13.0";

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "Grow a random forest on CIFAR-10 with Mahout's MapReduce builder; write a model dir.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("cifar", "dir", "CIFAR-10 binary batches (see fetch-cifar)"))
        .addOption(flag("output", "dir", "model directory to create"))
        .addOption(flag("trees", "N", "trees in the forest (default " + DEFAULT_TREES + ")"))
        .addOption(flag("features", "spec", "feature groups joined by +, from raw, hog, hog4, "
            + "colorhist, layout (default " + DEFAULT_FEATURES + ")"))
        .addOption(flag("builder", "inmem|partial", "inmem: every mapper holds all data and "
            + "grows bootstrap trees (default); partial: each mapper grows trees on its split"))
        .addOption(flag("seed", "S", "random seed; same seed, data and mappers give the same "
            + "forest (default 1)"))
        .addOption(flag("mappers", "N", "map tasks for the inmem builder (default 2)"))
        .addOption(flag("images", "N", "train on the first N training images only (default all)"))
        .addOption(flag("min-agreement", "0-1", "default tagging threshold stored with the "
            + "model (default " + DEFAULT_MIN_AGREEMENT + ")"))
        .addOption(toggle("overwrite", "replace the model directory if it exists"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path cifarPath = new Path(required(line, "cifar"));
    Path output = new Path(required(line, "output"));
    int trees = (int) positiveLong(line, "trees", (long) DEFAULT_TREES);
    FeatureExtractor extractor = parsed(line, "features", DEFAULT_FEATURES, FeatureExtractor::of);
    String builderName = parsed(line, "builder", "inmem", TrainJob::builderName);
    long seed = longFlag(line, "seed", 1);
    int mappers = (int) positiveLong(line, "mappers", 2L);
    long images = line.hasOption("images") ? positiveLong(line, "images", null) : 0;
    double minAgreement = parsed(line, "min-agreement", String.valueOf(DEFAULT_MIN_AGREEMENT),
        TrainJob::fraction);

    CifarDirectory cifar = CifarDirectory.open(cifarPath, conf);
    FileSystem cifarFs = cifar.dir().getFileSystem(conf);
    List<Path> batches = cifar.trainBatches().stream().map(cifarFs::makeQualified).toList();
    long available = 0;
    for (Path batch : batches) {
      available += cifarFs.getFileStatus(batch).getLen() / ImageLayout.CIFAR.recordBytes();
    }
    long trainingImages = images == 0 ? available : Math.min(images, available);
    OutputDirs.Output model =
        OutputDirs.prepare(output, line.hasOption("overwrite"), conf, cifar.dir());

    FileSystem fs = output.getFileSystem(conf);
    Path partial = new Path(output.getParent(), "." + output.getName() + ".partial");
    fs.delete(partial, true);
    fs.mkdirs(partial);
    try {
      Dataset dataset = ForestData.dataset(extractor.dimension());
      Path datasetPath = fs.makeQualified(new Path(partial, ForestModel.DATASET_FILE));
      try (var out = fs.create(datasetPath, true)) {
        out.write(dataset.toJSON().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }

      Configuration jobConf = new Configuration(conf);
      TrainingSet.setFeatures(jobConf, extractor.spec());
      TrainingSet.setMaxImages(jobConf, images);
      InMemForestBuilder.setMapTasks(jobConf, mappers);
      JvmOptions.addOpensForTasks(jobConf);
      String jobJar = Jobs.jobJar(jobConf, TrainJob.class);
      Jobs.useJobClassLoader(jobConf);
      Builder builder = builderName.equals("inmem")
          ? new InMemForestBuilder(new DecisionTreeBuilder(), batches, datasetPath, seed, jobConf,
              jobJar)
          : new PartialForestBuilder(new DecisionTreeBuilder(), batches, datasetPath, seed,
              jobConf, jobJar);
      builder.setOutputDirName(fs.makeQualified(new Path(partial, "_builder")).toString());

      System.err.printf("train: %d trees on %,d images, features %s (%d values), %s builder, "
          + "seed %d%n", trees, trainingImages, extractor.spec(), extractor.dimension(),
          builderName, seed);
      long start = System.nanoTime();
      DecisionForest forest = builder.build(trees);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (forest == null) {
        throw new IOException("Mahout's forest builder job failed; see the task error above");
      }
      ModelInfo info = new ModelInfo(trees, extractor.spec(), FeatureExtractor.VERSION,
          extractor.dimension(), trainingImages, seed, builderName,
          builder instanceof PartialForestBuilder p ? p.mapTasks() : mappers, seconds,
          minAgreement,
          CifarClasses.NAMES, null, MAHOUT_VERSION, VersionInfo.getVersion());
      ForestModel.write(fs, partial, info, forest, dataset);
      if (!fs.rename(partial, model.dir())) {
        throw new IOException("could not move the model from " + partial + " to " + model.dir());
      }
      model.commit();
      System.err.printf("train: wrote %s (%d trees, %.1f s)%n", output, trees, seconds);
      return 0;
    } finally {
      fs.delete(partial, true);
    }
  }

  private static String builderName(String value) {
    if (!value.equals("inmem") && !value.equals("partial")) {
      throw new IllegalArgumentException("expected inmem or partial, not '" + value + "'");
    }
    return value;
  }

  /** Parses a share from 0 to 1. */
  public static double fraction(String value) {
    double share;
    try {
      share = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number from 0 to 1, not '" + value + "'");
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("must be from 0 to 1, not " + value);
    }
    return share;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new TrainJob(), args));
  }
}

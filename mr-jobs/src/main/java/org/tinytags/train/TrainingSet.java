package org.tinytags.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.mahout.classifier.df.data.Data;
import org.apache.mahout.classifier.df.data.Dataset;
import org.apache.mahout.classifier.df.data.Instance;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.CacheLinks;
import org.tinytags.io.ImageFileSplit;
import org.tinytags.io.ImageRecordReader;

/**
 * The labelled images a forest is grown on: CIFAR-10 batch files, read through the project's
 * {@link ImageRecordReader} (labels checked, records counted) and turned into feature rows.
 * Configuration keys are shared by the driver and the tasks.
 */
public final class TrainingSet {
  private static final String FEATURES = "tinytags.train.features";
  private static final String BATCHES = "tinytags.train.batches";
  private static final String MAX_IMAGES = "tinytags.train.max-images";

  private TrainingSet() {}

  public static void setFeatures(Configuration conf, String spec) {
    conf.set(FEATURES, spec);
  }

  public static FeatureExtractor getFeatures(Configuration conf) {
    return FeatureExtractor.of(conf.get(FEATURES));
  }

  /** Names of the batch files as the tasks see them (distributed cache link names). */
  public static void setBatches(Configuration conf, List<String> names) {
    conf.setStrings(BATCHES, names.toArray(new String[0]));
  }

  public static List<String> getBatches(Configuration conf) {
    return List.of(conf.getTrimmedStrings(BATCHES));
  }

  /** Uses only the first {@code images} images (0 = all). */
  public static void setMaxImages(Configuration conf, long images) {
    conf.setLong(MAX_IMAGES, images);
  }

  public static long getMaxImages(Configuration conf) {
    long max = conf.getLong(MAX_IMAGES, 0);
    return max <= 0 ? Long.MAX_VALUE : max;
  }

  /**
   * Reads the batches (in order, as one image sequence) into Mahout data, up to the configured
   * maximum, each where {@link CacheLinks} put it.
   */
  public static Data load(TaskAttemptContext context, Dataset dataset) throws IOException {
    Configuration conf = context.getConfiguration();
    ForestData.RowMaker rowMaker = new ForestData.RowMaker(getFeatures(conf));
    long max = getMaxImages(conf);
    List<Instance> instances = new ArrayList<>();
    long firstImage = 0;
    for (String name : getBatches(conf)) {
      if (instances.size() >= max) {
        break;
      }
      Path batch = CacheLinks.resolve(conf, name);
      long length = batch.getFileSystem(conf).getFileStatus(batch).getLen();
      try (ImageRecordReader reader = new ImageRecordReader(ImageLayout.CIFAR)) {
        reader.initialize(new ImageFileSplit(batch, 0, length, new String[0], firstImage),
            context);
        while (instances.size() < max && reader.nextKeyValue()) {
          byte[] record = reader.getCurrentValue().getBytes();
          instances.add(ForestData.instance(rowMaker.row(ImageLayout.CIFAR, record, 0),
              ImageLayout.CIFAR.label(record, 0)));
        }
      }
      firstImage += length / ImageLayout.CIFAR.recordBytes();
    }
    return ForestData.data(dataset, instances);
  }
}

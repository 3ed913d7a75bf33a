package org.tinytags.train;

import java.io.IOException;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.mahout.classifier.df.builder.TreeBuilder;
import org.apache.mahout.classifier.df.mapreduce.partial.PartialBuilder;
import org.tinytags.cli.Jobs;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.ImageFileSplit;
import org.tinytags.io.ImageInputFormat;
import org.tinytags.io.ImageRecordReader;

/**
 * Mahout's partial forest builder (each mapper grows its share of the trees on its own input
 * split only), for labelled sets too large for one task's memory. Mahout's mapper parses text
 * rows; {@link FeatureRows} produces them in memory from the binary batches, so no text copy of
 * the data is ever written.
 */
@SuppressWarnings("deprecation") // Mahout's df API is deprecated, and the only MapReduce forest.
public class PartialForestBuilder extends PartialBuilder {
  private final List<Path> batches;
  private final String jobJar;
  private int mapTasks;

  public PartialForestBuilder(TreeBuilder treeBuilder, List<Path> batches, Path datasetPath,
      long seed, Configuration conf, String jobJar) {
    super(treeBuilder, batches.get(0), datasetPath, seed, conf);
    this.batches = batches;
    this.jobJar = jobJar;
  }

  @Override
  protected void configureJob(Job job) throws IOException {
    super.configureJob(job);
    Configuration conf = job.getConfiguration();
    // Mahout points the job at its own jar; ours holds Mahout and the project's classes.
    if (jobJar != null) {
      job.setJar(jobJar);
    }
    FileInputFormat.setInputPaths(job, batches.toArray(new Path[0]));
    ImageInputFormat.setLayout(conf, ImageLayout.CIFAR);
    job.setInputFormatClass(FeatureRows.class);
    // Mahout divides the trees by the number of map tasks, which must be the real one.
    mapTasks = new FeatureRows().getSplits(job).size();
    conf.setInt("mapred.map.tasks", mapTasks);
  }

  /** Runs the job as every TinyTags job runs: a failure throws with the first task's error. */
  @Override
  protected boolean runJob(Job job) throws IOException, InterruptedException {
    Jobs.run(job);
    return true;
  }

  /** Map tasks of the last build: one per input split. */
  public int mapTasks() {
    return mapTasks;
  }

  /** CIFAR-10 records as Mahout text rows: the features, then the label, comma-separated. */
  public static class FeatureRows extends FileInputFormat<LongWritable, Text> {
    private final ImageInputFormat images = new ImageInputFormat();

    @Override
    public List<InputSplit> getSplits(JobContext job) throws IOException {
      // With --images, splits that start past the limit would give a mapper no data at all.
      long max = TrainingSet.getMaxImages(job.getConfiguration());
      List<InputSplit> splits = new java.util.ArrayList<>();
      for (InputSplit split : images.getSplits(job)) {
        ImageFileSplit s = (ImageFileSplit) split;
        if (s.getFileFirstImage() + s.getStart() / ImageLayout.CIFAR.recordBytes() < max) {
          splits.add(split);
        }
      }
      return splits;
    }

    @Override
    public RecordReader<LongWritable, Text> createRecordReader(InputSplit split,
        TaskAttemptContext context) {
      return new Reader();
    }

    static class Reader extends RecordReader<LongWritable, Text> {
      private final ImageRecordReader records = new ImageRecordReader(ImageLayout.CIFAR);
      private final Text row = new Text();
      private final byte[] pixels = new byte[ImageLayout.PIXEL_BYTES];
      private FeatureExtractor extractor;
      private double[] features;
      private long maxImages;

      @Override
      public void initialize(InputSplit split, TaskAttemptContext context) throws IOException {
        records.initialize(split, context);
        extractor = TrainingSet.getFeatures(context.getConfiguration());
        features = new double[extractor.dimension()];
        maxImages = TrainingSet.getMaxImages(context.getConfiguration());
      }

      @Override
      public boolean nextKeyValue() throws IOException {
        if (!records.nextKeyValue() || records.getCurrentKey().get() >= maxImages) {
          return false;
        }
        BytesWritable record = records.getCurrentValue();
        ImageLayout.CIFAR.toCanonical(record.getBytes(), 0, pixels);
        extractor.extract(pixels, features, 0);
        StringBuilder line = new StringBuilder(features.length * 8);
        for (double value : features) {
          line.append(value).append(',');
        }
        line.append(ImageLayout.CIFAR.label(record.getBytes(), 0));
        row.set(line.toString());
        return true;
      }

      @Override
      public LongWritable getCurrentKey() {
        return records.getCurrentKey();
      }

      @Override
      public Text getCurrentValue() {
        return row;
      }

      @Override
      public float getProgress() throws IOException {
        return records.getProgress();
      }

      @Override
      public void close() throws IOException {
        records.close();
      }
    }
  }
}

package org.tinytags.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.mahout.classifier.df.Bagging;
import org.apache.mahout.classifier.df.builder.TreeBuilder;
import org.apache.mahout.classifier.df.mapreduce.MapredMapper;
import org.apache.mahout.classifier.df.mapreduce.MapredOutput;
import org.apache.mahout.classifier.df.mapreduce.inmem.InMemBuilder;
import org.apache.mahout.classifier.df.mapreduce.inmem.InMemInputFormat;
import org.apache.mahout.classifier.df.mapreduce.inmem.InMemInputFormat.InMemInputSplit;
import org.apache.mahout.common.RandomUtils;
import org.tinytags.cli.Jobs;
import org.tinytags.io.CacheLinks;
import org.tinytags.io.InjectedFault;

/**
 * Mahout's in-memory forest builder (every mapper holds all the training data and grows its
 * share of the trees on bootstrap samples), reading CIFAR-10's binary batches from the
 * distributed cache instead of Mahout's text file.
 */
@SuppressWarnings("deprecation") // Mahout's df API is deprecated, and the only MapReduce forest.
public class InMemForestBuilder extends InMemBuilder {
  private static final String MAP_TASKS = "tinytags.train.inmem.map-tasks";
  private final List<Path> batches;
  private final String jobJar;

  /**
   * @param batches CIFAR-10 batch files, in image order
   * @param datasetPath Mahout's dataset.json
   * @param jobJar the jar to ship, or null to leave the configuration's
   */
  public InMemForestBuilder(TreeBuilder treeBuilder, List<Path> batches, Path datasetPath,
      long seed, Configuration conf, String jobJar) {
    super(treeBuilder, batches.get(0), datasetPath, seed, conf);
    this.batches = batches;
    this.jobJar = jobJar;
  }

  @Override
  protected void configureJob(Job job) throws IOException {
    Configuration conf = job.getConfiguration();
    if (jobJar != null) {
      job.setJar(jobJar);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      String name = "cifar-train-" + i + ".bin";
      CacheLinks.add(job, batches.get(i), name);
      names.add(name);
    }
    TrainingSet.setBatches(conf, names);
    FileOutputFormat.setOutputPath(job, getOutputPath(conf));
    job.setOutputKeyClass(IntWritable.class);
    job.setOutputValueClass(MapredOutput.class);
    job.setMapperClass(TreeGrower.class);
    job.setNumReduceTasks(0);
    job.setInputFormatClass(TreeSplits.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
  }

  /** Runs the job as every TinyTags job runs: a failure throws with the first task's error. */
  @Override
  protected boolean runJob(Job job) throws IOException, InterruptedException {
    Jobs.run(job);
    return true;
  }

  /** Sets the number of map tasks (splits of the trees) the forest is grown in. */
  public static void setMapTasks(Configuration conf, int tasks) {
    conf.setInt(MAP_TASKS, tasks);
    // Also the scheduler's hint, as Mahout sets it.
    conf.setInt("mapred.map.tasks", tasks);
  }

  public static int getMapTasks(Configuration conf) {
    return conf.getInt(MAP_TASKS, 1);
  }

  /**
   * Mahout's input format takes its split count from mapred.map.tasks, which the local job
   * runner forces to 1 (LocalClientProtocolProvider): a forest grown locally with "2 mappers"
   * was one split, and differed from the same forest grown on YARN. The count comes from this
   * job's own key instead, so the trees and their seeds are the same wherever they grow.
   */
  public static class TreeSplits extends InMemInputFormat {
    @Override
    public List<InputSplit> getSplits(JobContext context) throws IOException {
      return getSplits(context.getConfiguration(), getMapTasks(context.getConfiguration()));
    }
  }

  /** Grows the trees of its split on bootstrap samples of the whole training set. */
  public static class TreeGrower
      extends MapredMapper<IntWritable, NullWritable, IntWritable, MapredOutput> {
    private Bagging bagging;
    private Random random;
    private InjectedFault fault;
    private long trees;

    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      super.setup(context);
      bagging = new Bagging(getTreeBuilder(), TrainingSet.load(context, getDataset()));
      fault = InjectedFault.of(context);
    }

    @Override
    protected void map(IntWritable treeId, NullWritable nothing, Context context)
        throws IOException, InterruptedException {
      if (random == null) {
        // One generator per split, seeded by Mahout's input format: same seed, same forest.
        random = RandomUtils.getRandom(((InMemInputSplit) context.getInputSplit()).getSeed());
      }
      context.write(treeId, new MapredOutput(bagging.build(random)));
      if (fault.due(++trees)) {
        fault.fire();
      }
    }
  }
}

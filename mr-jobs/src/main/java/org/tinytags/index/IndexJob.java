package org.tinytags.index;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcInputFormat;
import org.tinytags.classify.BlockSelection;
import org.tinytags.classify.TagRow;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.JvmOptions;
import org.tinytags.cli.OutputDirs;
import org.tinytags.train.ForestModel;
import org.tinytags.train.TrainJob;
import org.tinytags.io.BlockNames;

/**
 * {@code index}: turns classify's tagged rows into Solr index shards. Mappers read the ORC rows
 * and keep the tagged ones; a partitioner sends each block to one reducer (blocks never split
 * across shards), and each reducer builds its shard with an in-process Solr core from the
 * project's configset ({@link ShardWriter}). The output committer publishes {@code
 * <output>/shard-NNNNN/} atomically; the driver then writes {@code _index.json}.
 *
 * <p>Documents are keyed by the global image index, so indexing a block again replaces its
 * documents wherever the shards go live ({@code golive}, {@code reindex}).
 */
public class IndexJob extends Command {
  private static final String MIN_AGREEMENT = "tinytags.index.min-agreement";
  private static final int DEFAULT_SHARDS = 2;

  public enum IndexCounters { ROWS_READ, BELOW_THRESHOLD, DOCUMENTS }

  /** Counter group of the documents per shard ({@code shard-00000}). */
  public static final String SHARD_COUNTERS = "tinytags.shards";
  /** Counter group of each shard's build time in milliseconds. */
  public static final String SHARD_MILLIS = "tinytags.shard-millis";

  /** Index rows whose agreement is at least {@code share}, instead of classify's tags. */
  public static void setMinAgreement(Configuration conf, double share) {
    conf.setDouble(MIN_AGREEMENT, share);
  }

  /** The threshold set by {@link #setMinAgreement}, or a negative number: use the tags. */
  public static double getMinAgreement(Configuration conf) {
    return conf.getDouble(MIN_AGREEMENT, -1);
  }

  @Override
  public String name() {
    return "index";
  }

  @Override
  public String summary() {
    return "Build Solr index shards of the tagged images from classify's output.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("classified", "dir", "output of classify (block=NNNNN/ ORC partitions)"))
        .addOption(flag("output", "dir", "directory for shard-NNNNN/ indexes and _index.json"))
        .addOption(flag("shards", "N", "index shards = reducers (default " + DEFAULT_SHARDS
            + ", at most one per block)"))
        .addOption(flag("min-agreement", "0-1", "index rows with at least this share of trees "
            + "agreeing (default: the rows classify marked tagged)"))
        .addOption(flag("only", "list", "index these blocks only, e.g. 3,7-9 (for reindex)"))
        .addOption(toggle("overwrite", "replace an existing output directory"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path classified = new Path(required(line, "classified"));
    Path output = new Path(required(line, "output"));
    int shards = (int) positiveLong(line, "shards", (long) DEFAULT_SHARDS);
    Double threshold = line.hasOption("min-agreement")
        ? parsed(line, "min-agreement", null, TrainJob::fraction) : null;

    TreeMap<Integer, Path> partitions = partitions(classified, conf);
    List<Integer> blocks = new ArrayList<>(partitions.keySet());
    if (line.hasOption("only")) {
      blocks = parsed(line, "only", null,
          spec -> BlockSelection.parse(spec, partitions.lastKey() + 1));
      for (int block : blocks) {
        if (!partitions.containsKey(block)) {
          throw new FileNotFoundException("block " + block + " has no partition "
              + BlockNames.partition(block) + " in " + classified);
        }
      }
    }
    shards = Math.min(shards, blocks.size());
    OutputDirs.prepare(output, line.hasOption("overwrite"), conf, classified);

    Job job = Job.getInstance(conf, "tinytags index " + classified.getName());
    Jobs.setJar(job, IndexJob.class);
    Configuration jobConf = job.getConfiguration();
    JvmOptions.addOpensForTasks(jobConf);
    if (threshold != null) {
      setMinAgreement(jobConf, threshold);
    }
    for (int block : blocks) {
      FileInputFormat.addInputPath(job, partitions.get(block));
    }
    job.setInputFormatClass(OrcInputFormat.class);
    job.setMapperClass(TaggedRows.class);
    job.setMapOutputKeyClass(LongWritable.class);
    job.setMapOutputValueClass(TaggedImage.class);
    job.setPartitionerClass(BlockPartitioner.class);
    job.setReducerClass(ShardReducer.class);
    job.setNumReduceTasks(shards);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(NullWritable.class);
    job.setOutputFormatClass(ShardOutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);

    System.err.printf("index: %,d blocks of %s into %d shards (%s)%n", blocks.size(), classified,
        shards, threshold == null ? "classify's tags" : "min agreement " + threshold);
    try {
      Jobs.run(job);
    } catch (IOException e) {
      OutputDirs.removeIfEmpty(output, conf);
      throw e;
    }
    Counters counters = job.getCounters();
    List<IndexManifest.Shard> shardList = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      String dir = IndexManifest.shardDirName(shard);
      shardList.add(new IndexManifest.Shard(shard, dir,
          counters.findCounter(SHARD_COUNTERS, dir).getValue(),
          counters.findCounter(SHARD_MILLIS, dir).getValue()));
    }
    long documents = counters.findCounter(IndexCounters.DOCUMENTS).getValue();
    new IndexManifest(classified.toString(), threshold, documents, blocks, shardList)
        .write(output.getFileSystem(conf), output);
    System.err.printf("index: %,d rows read, %,d documents, %,d below the threshold; "
        + "shards in %s%n", counters.findCounter(IndexCounters.ROWS_READ).getValue(), documents,
        counters.findCounter(IndexCounters.BELOW_THRESHOLD).getValue(), output);
    return 0;
  }

  /** The {@code block=NNNNN} partitions of a classify output, by block number. */
  static TreeMap<Integer, Path> partitions(Path classified, Configuration conf)
      throws IOException {
    FileSystem fs = classified.getFileSystem(conf);
    if (!fs.exists(classified)) {
      throw new FileNotFoundException("classify output " + classified + " does not exist");
    }
    TreeMap<Integer, Path> partitions = new TreeMap<>();
    for (FileStatus status : fs.listStatus(classified)) {
      int block = BlockNames.partitionBlock(status.getPath().getName());
      if (status.isDirectory() && block >= 0) {
        partitions.put(block, status.getPath());
      }
    }
    if (partitions.isEmpty()) {
      throw new FileNotFoundException("no block=NNNNN partitions in " + classified
          + ": is this the output of 'tinytags classify'?");
    }
    return partitions;
  }

  /** Keeps the tagged rows (or those above {@code --min-agreement}), keyed by image id. */
  public static class TaggedRows extends Mapper<NullWritable, OrcStruct, LongWritable, TaggedImage> {
    private final LongWritable imageId = new LongWritable();
    private final TaggedImage image = new TaggedImage();
    private double minAgreement;
    // Counted here and added to the job counters once, at the end of the split.
    private long rows;
    private long belowThreshold;

    @Override
    protected void setup(Context context) {
      minAgreement = getMinAgreement(context.getConfiguration());
    }

    @Override
    protected void map(NullWritable key, OrcStruct row, Context context)
        throws IOException, InterruptedException {
      rows++;
      boolean keep = minAgreement < 0 ? TagRow.isTagged(row)
          : ForestModel.agrees(TagRow.votes(row), TagRow.trees(row), minAgreement);
      if (!keep) {
        belowThreshold++;
        return;
      }
      image.set(row);
      imageId.set(image.imageId());
      context.write(imageId, image);
    }

    @Override
    protected void cleanup(Context context) {
      context.getCounter(IndexCounters.ROWS_READ).increment(rows);
      context.getCounter(IndexCounters.BELOW_THRESHOLD).increment(belowThreshold);
    }
  }

  /** All of a block's images go to one shard. */
  public static class BlockPartitioner extends Partitioner<LongWritable, TaggedImage> {
    @Override
    public int getPartition(LongWritable imageId, TaggedImage image, int shards) {
      return image.block() % shards;
    }
  }

  /** Builds one shard from its blocks' images, which arrive in image order. */
  public static class ShardReducer
      extends Reducer<LongWritable, TaggedImage, NullWritable, NullWritable> {
    private ShardWriter writer;
    private long start;

    @Override
    protected void setup(Context context) throws IOException {
      start = System.nanoTime();
      // The task's temporary directory: the container's on YARN, java.io.tmpdir locally.
      writer = new ShardWriter(Files.createTempDirectory("tinytags-shard-"));
    }

    @Override
    protected void reduce(LongWritable imageId, Iterable<TaggedImage> images, Context context)
        throws IOException {
      int seen = 0;
      for (TaggedImage image : images) {
        if (++seen > 1) {
          throw new IOException("image " + imageId + " appears more than once in the classify "
              + "output (block " + image.block() + "): run classify for that block again");
        }
        writer.add(image.toDocument());
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      try {
        long documents = writer.documents();
        context.setStatus("merging " + documents + " documents into one segment");
        java.nio.file.Path index = writer.finish();
        String dir = IndexManifest.shardDirName(context.getTaskAttemptID().getTaskID().getId());
        Path target = new Path(FileOutputFormat.getWorkOutputPath(context), dir);
        target.getFileSystem(context.getConfiguration())
            .copyFromLocalFile(false, true, new Path(index.toUri()), target);
        context.getCounter(IndexCounters.DOCUMENTS).increment(documents);
        context.getCounter(SHARD_COUNTERS, dir).increment(documents);
        context.getCounter(SHARD_MILLIS, dir).increment((System.nanoTime() - start) / 1_000_000);
      } finally {
        writer.close();
      }
    }
  }

  /** No records: reducers put their shard into the work output directory themselves. */
  public static class ShardOutputFormat extends FileOutputFormat<NullWritable, NullWritable> {
    @Override
    public RecordWriter<NullWritable, NullWritable> getRecordWriter(TaskAttemptContext context) {
      return new RecordWriter<>() {
        @Override
        public void write(NullWritable key, NullWritable value) {}

        @Override
        public void close(TaskAttemptContext context) {}
      };
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new IndexJob(), args));
  }
}

package org.tinytags.index;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.apache.orc.mapred.OrcStruct;
import org.apache.hadoop.conf.Configurable;
import org.apache.solr.common.SolrInputDocument;
import org.tinytags.classify.BlockSelection;
import org.tinytags.classify.ClassifyManifest;
import org.tinytags.classify.TagRow;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.JvmOptions;
import org.tinytags.cli.OutputDirs;
import org.tinytags.train.ForestModel;
import org.tinytags.train.TrainJob;
import org.tinytags.io.BlockNames;
import org.tinytags.io.CleanupOnSuccessReducer;
import org.tinytags.io.InjectedFault;
import org.tinytags.solr.DocumentLineage;
import org.tinytags.solr.IndexFields;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.ShardMerger;
import org.tinytags.solr.ShardRouting;
import org.tinytags.solr.ShardWriter;
import org.tinytags.solr.SolrTarget;

/**
 * {@code index}: turns classify's tagged rows into Solr index shards. Mappers read the ORC rows
 * and keep the tagged ones; a partitioner picks each image's shard, and each reducer builds its
 * shard with an in-process Solr core from the project's configset ({@link ShardWriter}). The
 * output committer publishes {@code <output>/shard-NNNNN/} atomically; the driver then writes
 * {@code _index.json}.
 *
 * <p>For a standalone core all of a block's images go to one shard. For a SolrCloud collection
 * ({@code --zk … --collection …}) there is one shard per collection shard, and each image goes
 * to the one whose hash range holds its id ({@link ShardRouting}), so that go-live can merge
 * each shard into its own collection shard.
 *
 * <p>Documents are keyed by the global image index and carry the run's lineage ({@link
 * DocumentLineage}), so indexing a block again replaces its documents wherever the shards go
 * live ({@code golive}, {@code reindex}, {@code --go-live}).
 */
public class IndexJob extends Command {
  private static final String MIN_AGREEMENT = "tinytags.index.min-agreement";
  private static final int DEFAULT_SHARDS = 2;

  public enum IndexCounters { ROWS_READ, BELOW_THRESHOLD, DOCUMENTS }

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
            + ", at most one per block; with --zk: the collection's shards)"))
        .addOption(flag("zk", "host:port[/chroot]", "build for this SolrCloud's --collection:"
            + " one shard per collection shard, documents routed as the collection routes them"))
        .addOption(flag("collection", "name", SolrTarget.COLLECTION_FLAG_HELP))
        .addOption(toggle("go-live", "then merge the shards into --solr or --zk (as golive)"))
        .addOption(flag("solr", "url", "the standalone Solr for --go-live"))
        .addOption(toggle("dry-run", "print the first documents it would index, build nothing"))
        .addOption(flag("min-agreement", "0-1", "index rows with at least this share of trees "
            + "agreeing (default: the rows classify marked tagged)"))
        .addOption(flag("only", "list", "index these blocks only, e.g. 3,7-9 (for reindex)"))
        .addOption(toggle("overwrite", "replace an existing output directory"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path classified = new Path(required(line, "classified"));
    boolean dryRun = line.hasOption("dry-run");
    Path output = dryRun ? null : new Path(required(line, "output"));
    Double threshold = line.hasOption("min-agreement")
        ? parsed(line, "min-agreement", null, TrainJob::fraction) : null;
    if (line.hasOption("solr") && !line.hasOption("go-live")) {
      throw new UsageException("--solr names where --go-live merges the shards; without "
          + "--go-live run 'tinytags golive' afterwards");
    }
    if (line.hasOption("solr") && line.hasOption("zk")) {
      throw new UsageException("--solr and --zk name two Solrs: give one");
    }
    if (line.hasOption("go-live") && !line.hasOption("solr") && !line.hasOption("zk")) {
      throw new UsageException("--go-live needs --solr <url> or --zk <host:port/chroot>");
    }

    TreeMap<Integer, Path> partitions = partitions(classified, conf);
    FileSystem classifiedFs = classified.getFileSystem(conf);
    ClassifyManifest classify = ClassifyManifest.read(classifiedFs, classified);
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
    List<ShardRouting.CloudShard> cloudShards = null;
    int shards;
    try (SolrTarget target = line.hasOption("go-live") || line.hasOption("zk")
        ? SolrTarget.of(line.getOptionValue("solr"), line.getOptionValue("zk"),
            line.getOptionValue("collection")) : null) {
      if (target != null && target.isCloud()) {
        cloudShards = target.shards().stream()
            .map(s -> new ShardRouting.CloudShard(s.name(), s.range())).toList();
        shards = cloudShards.size();
        if (line.hasOption("shards") && positiveLong(line, "shards", null) != shards) {
          throw new UsageException("--shards " + line.getOptionValue("shards") + " does not "
              + "match " + target.describe() + ", which has " + shards + " shards: leave "
              + "--shards out, or create the collection with that many");
        }
      } else {
        shards = Math.min((int) positiveLong(line, "shards", (long) DEFAULT_SHARDS),
            blocks.size());
      }
      // --min-agreement applies to every block; otherwise each block passed classify's own.
      DocumentLineage lineage = new DocumentLineage(newRunId(), classify.splitSha256(),
          classify.forestSha256(), threshold != null ? threshold : classify.minAgreement(),
          classify.blockForests(),
          threshold != null ? java.util.Map.of() : classify.blockMinAgreements());
      if (dryRun) {
        DryRun.print(conf, partitions, blocks, threshold, lineage,
            cloudShards == null ? null : ShardRouting.of(cloudShards), shards, System.out);
        return 0;
      }
      IndexManifest manifest = build(conf, classified, output, blocks, shards,
          threshold, lineage, classify, cloudShards, target == null ? null : target.collection(),
          line.hasOption("overwrite"));
      if (line.hasOption("go-live")) {
        ShardMerger.Result live = new ShardMerger(target, output.getFileSystem(conf), output,
            manifest, null, System.err).goLive();
        System.err.println("index: " + live.summary());
      }
    }
    return 0;
  }

  private static final java.security.SecureRandom RUN_IDS = new java.security.SecureRandom();

  /**
   * A new index run id: the start time (readable in Hue and /api/status) and 32 random bits
   * (two runs in one second still differ).
   */
  static String newRunId() {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
        + "-" + String.format("%08x", RUN_IDS.nextInt());
  }

  private IndexManifest build(Configuration conf, Path classified, Path output,
      List<Integer> blocks, int shards, Double threshold,
      DocumentLineage lineage, ClassifyManifest classify,
      List<ShardRouting.CloudShard> cloudShards, String collection, boolean overwrite)
      throws Exception {
    OutputDirs.Output out = OutputDirs.prepare(output, overwrite, conf, classified);
    Job job = Job.getInstance(conf, "tinytags index " + classified.getName());
    Jobs.setJar(job, IndexJob.class);
    Configuration jobConf = job.getConfiguration();
    JvmOptions.addOpensForTasks(jobConf);
    if (threshold != null) {
      setMinAgreement(jobConf, threshold);
    }
    lineage.set(jobConf);
    ClassifiedRows.setBlocks(jobConf, classified.getFileSystem(conf).makeQualified(classified),
        blocks);
    job.setInputFormatClass(ClassifiedRows.class);
    job.setMapperClass(TaggedRows.class);
    job.setMapOutputKeyClass(LongWritable.class);
    job.setMapOutputValueClass(TaggedImage.class);
    if (cloudShards != null) {
      ShardRouting.set(jobConf, cloudShards);
      job.setPartitionerClass(HashRangePartitioner.class);
    } else {
      job.setPartitionerClass(BlockPartitioner.class);
    }
    job.setReducerClass(ShardReducer.class);
    job.setNumReduceTasks(shards);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(NullWritable.class);
    job.setOutputFormatClass(ShardOutputFormat.class);
    FileOutputFormat.setOutputPath(job, out.dir());

    System.err.printf("index: %,d blocks of %s into %d shards (%s; %s), run %s%n", blocks.size(),
        classified, shards, threshold == null ? "classify's tags" : "min agreement " + threshold,
        cloudShards == null ? "by block" : "routed for collection " + collection,
        lineage.indexRun());
    try {
      Jobs.run(job);
    } catch (IOException e) {
      out.abort();
      throw e;
    }
    Counters counters = job.getCounters();
    FileSystem fs = output.getFileSystem(conf);
    List<IndexManifest.Shard> shardList = new ArrayList<>();
    Map<Integer, Long> blockDocuments = new TreeMap<>();
    long documents = 0;
    for (int shard = 0; shard < shards; shard++) {
      IndexManifest.ShardStats stats = IndexManifest.ShardStats.read(fs, out.dir(), shard);
      shardList.add(new IndexManifest.Shard(shard, IndexManifest.shardDirName(shard),
          stats.documents(), stats.buildMillis(),
          cloudShards == null ? null : cloudShards.get(shard).name(),
          cloudShards == null ? null : cloudShards.get(shard).range()));
      stats.blockDocuments().forEach((block, n) -> blockDocuments.merge(block, n, Long::sum));
      documents += stats.documents();
    }
    fs.delete(new Path(out.dir(), IndexManifest.ShardStats.DIR), true);
    IndexManifest manifest = new IndexManifest(classified.toString(), threshold, documents,
        blocks, shardList, lineage.indexRun(), classify.splitSha256(), classify.splitBlocks(),
        classify.forestSha256(), lineage.minAgreement(),
        cloudShards == null ? IndexManifest.BY_BLOCK : IndexManifest.BY_HASH,
        cloudShards == null ? null : collection, IndexFields.INDEX_SORT, blockDocuments,
        classify);
    manifest.write(fs, out.dir());
    out.commit();
    System.err.printf("index: %,d rows read, %,d documents, %,d below the threshold; "
        + "shards in %s%n", counters.findCounter(IndexCounters.ROWS_READ).getValue(), documents,
        counters.findCounter(IndexCounters.BELOW_THRESHOLD).getValue(), output);
    return manifest;
  }

  /** The {@code block=NNNNN} partitions of a classify output, by block number; some. */
  static TreeMap<Integer, Path> partitions(Path classified, Configuration conf)
      throws IOException {
    FileSystem fs = classified.getFileSystem(conf);
    if (!fs.exists(classified)) {
      throw new FileNotFoundException("classify output " + classified + " does not exist");
    }
    TreeMap<Integer, Path> partitions = ClassifiedRows.partitions(fs, classified);
    if (partitions.isEmpty()) {
      throw new FileNotFoundException("no block=NNNNN partitions in " + classified
          + ": is this the output of 'tinytags classify'?");
    }
    return partitions;
  }

  /**
   * Whether the index keeps {@code row}: tagged by classify, or, with a {@code minAgreement} of
   * 0 or more ({@code --min-agreement}), with at least that share of trees agreeing.
   */
  static boolean keeps(OrcStruct row, double minAgreement) {
    return minAgreement < 0 ? TagRow.isTagged(row)
        : ForestModel.agrees(TagRow.votes(row), TagRow.trees(row), minAgreement);
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
      if (!keeps(row, minAgreement)) {
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

  /** Each image to the shard whose hash range holds its id, as the collection routes it. */
  public static class HashRangePartitioner extends Partitioner<LongWritable, TaggedImage>
      implements Configurable {
    private Configuration conf;
    private ShardRouting routing;

    @Override
    public void setConf(Configuration conf) {
      this.conf = conf;
      routing = ShardRouting.get(conf);
    }

    @Override
    public Configuration getConf() {
      return conf;
    }

    @Override
    public int getPartition(LongWritable imageId, TaggedImage image, int shards) {
      return routing.shardOf(Long.toString(imageId.get()));
    }
  }

  /**
   * Builds one shard from its images, which arrive in image order, and publishes it at the end:
   * only after every image was added, so that a failed task uploads nothing.
   */
  public static class ShardReducer
      extends CleanupOnSuccessReducer<LongWritable, TaggedImage, NullWritable, NullWritable> {
    private ShardWriter writer;
    private DocumentLineage lineage;
    private InjectedFault fault;
    private long start;
    private final Map<Integer, Long> blockDocuments = new TreeMap<>();

    @Override
    protected void setup(Context context) throws IOException {
      start = System.nanoTime();
      lineage = DocumentLineage.get(context.getConfiguration());
      // The task's temporary directory: the container's on YARN, java.io.tmpdir locally.
      writer = new ShardWriter(Files.createTempDirectory("tinytags-shard-"));
      fault = InjectedFault.of(context);
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
        SolrInputDocument doc = image.toDocument();
        lineage.addTo(doc, image.block());
        writer.add(doc);
        blockDocuments.merge(image.block(), 1L, Long::sum);
        if (fault.due(writer.documents())) {
          fault.fire();
        }
      }
    }

    @Override
    protected void abandon(Context context) {
      writer.close();
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      try {
        long documents = writer.documents();
        context.setStatus("merging " + documents + " documents into one segment");
        java.nio.file.Path index = writer.finish();
        int shard = context.getTaskAttemptID().getTaskID().getId();
        Path work = FileOutputFormat.getWorkOutputPath(context);
        FileSystem fs = work.getFileSystem(context.getConfiguration());
        fs.copyFromLocalFile(false, true, new Path(index.toUri()),
            new Path(work, IndexManifest.shardDirName(shard)));
        new IndexManifest.ShardStats(documents, (System.nanoTime() - start) / 1_000_000,
            blockDocuments).write(fs, work, shard);
        context.getCounter(IndexCounters.DOCUMENTS).increment(documents);
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

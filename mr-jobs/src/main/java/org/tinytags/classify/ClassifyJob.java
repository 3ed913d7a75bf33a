package org.tinytags.classify;

import java.io.IOException;
import java.security.MessageDigest;
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
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.util.ToolRunner;
import org.apache.orc.OrcConf;
import org.apache.orc.mapred.OrcStruct;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.JvmOptions;
import org.tinytags.cli.OutputDirs;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.io.CacheLinks;
import org.tinytags.io.CleanupOnSuccessMapper;
import org.tinytags.io.ImageFileSplit;
import org.tinytags.io.ImageInputFormat;
import org.tinytags.io.InjectedFault;
import org.tinytags.io.Sha256;
import org.tinytags.train.ForestData;
import org.tinytags.train.ForestModel;
import org.tinytags.train.TrainJob;

/**
 * {@code classify}: a map-only job that tags every image of a split corpus with a trained forest.
 * One mapper per block file (read through {@link ImageInputFormat}); the model travels in the
 * distributed cache and is loaded once per task. Every image gets a {@link TagRow}; the
 * threshold only marks rows {@code tagged}. Output: ORC, {@code <output>/block=NNNNN/part-NNNNN.orc},
 * published by the output committer, so a failed task leaves nothing behind.
 *
 * <p>{@code --only 3,7-9} re-runs some blocks: their partitions are replaced, the others kept.
 */
public class ClassifyJob extends Command {
  private static final String MIN_AGREEMENT = "tinytags.classify.min-agreement";
  private static final String MANIFEST_LINK = "corpus-manifest.json";
  private static final String STAGING = "_staging";
  private static final int BATCH = 256;

  /** Tagging counters, beside {@code ImageCounters.RECORDS_READ}. */
  public enum TagCounters { TAGGED, UNTAGGED }

  /** Counter group of the per-label counts (winning label, tagged or not). */
  public static final String LABEL_COUNTERS = "tinytags.labels";

  public static void setMinAgreement(Configuration conf, double share) {
    conf.setDouble(MIN_AGREEMENT, share);
  }

  public static double getMinAgreement(Configuration conf) {
    return conf.getDouble(MIN_AGREEMENT, TrainJob.DEFAULT_MIN_AGREEMENT);
  }

  @Override
  public String name() {
    return "classify";
  }

  @Override
  public String summary() {
    return "Tag every image of a split corpus with a forest; write ORC rows partitioned by block.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("model", "dir", "model directory written by train"))
        .addOption(flag("blocks", "dir", "output of split (block files and _manifest.json)"))
        .addOption(flag("output", "dir", "directory for block=NNNNN/ partitions of ORC rows"))
        .addOption(flag("min-agreement", "0-1", "least share of trees voting for a label for the "
            + "row to be marked tagged (default: the model's)"))
        .addOption(flag("only", "list", "re-run these blocks only, e.g. 3,7-9: their partitions "
            + "are replaced, the others kept"))
        .addOption(toggle("allow-mixed", "let --only tag blocks with another forest or "
            + "threshold than the output's other blocks (recorded per block in _classify.json)"))
        .addOption(toggle("overwrite", "replace an existing output directory once the new run "
            + "has succeeded (full runs)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path modelDir = new Path(required(line, "model"));
    Path blocksDir = new Path(required(line, "blocks"));
    Path output = new Path(required(line, "output"));
    Double threshold = line.hasOption("min-agreement")
        ? parsed(line, "min-agreement", null, TrainJob::fraction) : null;

    FileSystem modelFs = modelDir.getFileSystem(conf);
    ForestModel model = ForestModel.load(modelFs, modelDir);
    double minAgreement = threshold != null ? threshold : model.info().minAgreement();
    FileSystem blocksFs = blocksDir.getFileSystem(conf);
    BlockManifest manifest = BlockManifest.read(blocksFs, blocksDir);
    List<Integer> selected = line.hasOption("only")
        ? parsed(line, "only", null, spec -> BlockSelection.parse(spec, manifest.blocks().size()))
        : manifest.blocks().stream().map(BlockManifest.Block::block).toList();

    // One listing checks every selected block's file (not an RPC per block).
    ManifestBlocks.locate(blocksFs, blocksDir, manifest, selected);

    FileSystem outFs = output.getFileSystem(conf);
    boolean partial = line.hasOption("only");
    // Every block classified has exactly its images as rows: the tagger checks it.
    Map<Integer, Long> rows = new TreeMap<>();
    for (int block : selected) {
      rows.put(block, manifest.block(block).images());
    }
    ClassifyManifest lineage = new ClassifyManifest(blocksDir.toString(),
        ClassifyManifest.splitSha256(blocksFs, blocksDir), manifest.blocks().size(),
        model.info().forestSha256(), minAgreement, rows);
    ClassifyManifest earlier = partial ? ClassifyManifest.readIfPresent(outFs, output) : null;
    if (earlier != null) {
      checkRerun(earlier, lineage, blocksDir, line.hasOption("allow-mixed"));
    }
    OutputDirs.Output out = partial ? null
        : OutputDirs.prepare(output, line.hasOption("overwrite"), conf, blocksDir, modelDir);
    Path staging = partial ? new Path(output, STAGING) : out.dir();
    if (partial) {
      outFs.delete(staging, true);
    }

    Job job = Job.getInstance(conf, "tinytags classify " + blocksDir.getName());
    Jobs.setJar(job, ClassifyJob.class);
    Configuration jobConf = job.getConfiguration();
    JvmOptions.addOpensForTasks(jobConf);
    ImageInputFormat.setLayout(jobConf, manifest.imageLayout());
    setMinAgreement(jobConf, minAgreement);
    ManifestBlocks.setBlocks(jobConf, blocksFs.makeQualified(blocksDir), selected);
    job.setInputFormatClass(ManifestBlocks.class);
    for (String file : List.of(ForestModel.FOREST_FILE, ForestModel.DATASET_FILE,
        ForestModel.LABELS_FILE, ForestModel.MODEL_FILE)) {
      CacheLinks.add(job, new Path(modelDir, file), file);
    }
    CacheLinks.add(job, BlockManifest.pathIn(blocksDir), MANIFEST_LINK);

    job.setMapperClass(Tagger.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(OrcStruct.class);
    OrcConf.MAPRED_OUTPUT_SCHEMA.setString(jobConf, TagRow.SCHEMA.toString());
    LazyOutputFormat.setOutputFormatClass(job, BlockOrcOutputFormat.class);
    FileOutputFormat.setOutputPath(job, staging);

    System.err.printf("classify: %,d of %,d blocks with %d trees (%s), min agreement %.2f%n",
        selected.size(), manifest.blocks().size(), model.trees(), model.info().features(),
        minAgreement);
    try {
      Jobs.run(job);
    } catch (IOException e) {
      if (partial) {
        outFs.delete(staging, true);
      } else {
        out.abort();
      }
      throw e;
    }
    if (partial) {
      for (int block : selected) {
        replacePartition(outFs, new Path(staging, BlockNames.partition(block)),
            new Path(output, BlockNames.partition(block)));
      }
      outFs.delete(staging, true);
      // Another forest or threshold for these blocks is recorded per block.
      (earlier != null ? earlier.rerun(rows, lineage.forestSha256(), minAgreement) : lineage)
          .write(outFs, output);
    } else {
      lineage.write(outFs, out.dir());
      out.commit();
    }
    long tagged = job.getCounters().findCounter(TagCounters.TAGGED).getValue();
    long untagged = job.getCounters().findCounter(TagCounters.UNTAGGED).getValue();
    System.err.printf("classify: %,d images, %,d tagged, %,d untagged; rows in %s%n",
        tagged + untagged, tagged, untagged, output);
    return 0;
  }

  /**
   * Refuses an {@code --only} re-run whose rows would not fit beside the output's others: rows
   * of another split (whose block numbers name other images), or, unless {@code allowMixed},
   * of another forest or threshold, which would leave one output tagged by two rules.
   */
  static void checkRerun(ClassifyManifest earlier, ClassifyManifest rerun, Path blocksDir,
      boolean allowMixed) throws UsageException {
    if (!earlier.splitSha256().equals(rerun.splitSha256())) {
      throw new UsageException("--only re-runs blocks of the split in " + blocksDir
          + " (manifest SHA-256 " + rerun.splitSha256() + ") beside rows of another split ("
          + earlier.splitSha256() + "); classify every block instead (without --only)");
    }
    if (!allowMixed && (!earlier.forestSha256().equals(rerun.forestSha256())
        || Double.compare(earlier.minAgreement(), rerun.minAgreement()) != 0)) {
      throw new UsageException("--only would tag blocks " + rerun.blockRows().keySet()
          + " with forest " + rerun.forestSha256() + " and min agreement "
          + rerun.minAgreement() + " beside rows tagged with forest " + earlier.forestSha256()
          + " and min agreement " + earlier.minAgreement() + "; pass --allow-mixed to record "
          + "the mix per block in " + ClassifyManifest.FILE_NAME + ", or classify every block");
    }
  }

  /**
   * Moves a re-run block's files over its old partition's, each by one atomic rename: a reader
   * of the output finds the block's old rows or its new ones, never none, and a failure leaves
   * the old rows in place.
   */
  private static void replacePartition(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.exists(to)) {
      if (!fs.rename(from, to)) {
        throw new IOException("could not move " + from + " to " + to);
      }
      return;
    }
    java.util.Set<String> fresh = new java.util.HashSet<>();
    for (FileStatus file : fs.listStatus(from)) {
      OutputDirs.replaceFile(fs, file.getPath(), new Path(to, file.getPath().getName()));
      fresh.add(file.getPath().getName());
    }
    for (FileStatus old : fs.listStatus(to)) {
      if (!fresh.contains(old.getPath().getName())) {
        fs.delete(old.getPath(), true);
      }
    }
  }

  /**
   * Tags the images of one block, in batches, and checks the block's SHA-256 at the end: only
   * after the whole block was read, so that a failed read reports its own error.
   */
  public static class Tagger
      extends CleanupOnSuccessMapper<LongWritable, BytesWritable, NullWritable, OrcStruct> {
    private ForestModel model;
    private ForestData.RowMaker rowMaker;
    private ImageLayout layout;
    private double minAgreement;
    private BlockManifest.Block block;
    private MessageDigest sha256;
    private MultipleOutputs<NullWritable, OrcStruct> outputs;
    private final OrcStruct row = TagRow.newRow();
    private final List<double[]> batch = new ArrayList<>(BATCH);
    private final List<Long> batchIds = new ArrayList<>(BATCH);
    // Counted here and added to the job counters once, at the end of the block.
    private final long[] perLabel = new long[CifarClasses.COUNT];
    private long tagged;
    private long written;
    private InjectedFault fault;

    @Override
    protected void setup(Context context) throws IOException {
      Configuration conf = context.getConfiguration();
      // The model's files sit together: in the task's working directory, or the model's own.
      Path modelDir = CacheLinks.resolve(conf, ForestModel.MODEL_FILE).getParent();
      model = ForestModel.load(modelDir.getFileSystem(conf), modelDir);
      rowMaker = new ForestData.RowMaker(model.newExtractor());
      layout = ImageInputFormat.getLayout(conf);
      minAgreement = getMinAgreement(conf);
      ImageFileSplit split = (ImageFileSplit) context.getInputSplit();
      Path manifestFile = CacheLinks.resolve(conf, MANIFEST_LINK);
      BlockManifest manifest = BlockManifest.readFile(manifestFile.getFileSystem(conf),
          manifestFile);
      block = manifest.blockInFile(split.getPath().getName());
      if (block == null) {
        throw new IOException(split.getPath() + " is not a block of the corpus manifest");
      }
      sha256 = Sha256.newDigest();
      outputs = new MultipleOutputs<>(context);
      fault = InjectedFault.of(context);
    }

    @Override
    protected void map(LongWritable imageId, BytesWritable record, Context context)
        throws IOException, InterruptedException {
      sha256.update(record.getBytes(), 0, record.getLength());
      batch.add(rowMaker.row(layout, record.getBytes(), 0));
      batchIds.add(imageId.get());
      if (batch.size() == BATCH) {
        flush(context);
      }
    }

    private void flush(Context context) throws IOException, InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      int[][] votes = model.classVotes(batch);
      String base = BlockNames.partition(block.block()) + "/part-" + String.format("%05d", block.block());
      for (int i = 0; i < votes.length; i++) {
        long id = batchIds.get(i);
        long offset = (id - block.firstImage()) * layout.recordBytes();
        TagRow.set(row, id, block.block(), offset, votes[i], model.trees(), minAgreement);
        perLabel[TagRow.label(row)]++;
        tagged += TagRow.isTagged(row) ? 1 : 0;
        outputs.write(NullWritable.get(), row, base);
      }
      written += votes.length;
      batch.clear();
      batchIds.clear();
      if (fault.due(written)) {
        fault.fire();
      }
    }

    @Override
    protected void abandon(Context context) throws IOException {
      try {
        outputs.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      flush(context);
      String actual = Sha256.hex(sha256);
      if (!actual.equals(block.sha256())) {
        throw new IOException(block.file() + " (block " + block.block() + "): SHA-256 " + actual
            + " does not match the manifest's " + block.sha256()
            + "; the block is corrupt: restore it or split the corpus again");
      }
      if (written != block.images()) {
        throw new IOException(block.file() + " (block " + block.block() + "): wrote " + written
            + " rows for the manifest's " + block.images() + " images");
      }
      outputs.close();
      long images = 0;
      for (int label = 0; label < CifarClasses.COUNT; label++) {
        context.getCounter(LABEL_COUNTERS, CifarClasses.name(label)).increment(perLabel[label]);
        images += perLabel[label];
      }
      context.getCounter(TagCounters.TAGGED).increment(tagged);
      context.getCounter(TagCounters.UNTAGGED).increment(images - tagged);
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new ClassifyJob(), args));
  }
}

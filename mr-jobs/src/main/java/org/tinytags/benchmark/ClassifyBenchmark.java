package org.tinytags.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.NullOutputFormat;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.classify.ClassifyJob;
import org.tinytags.classify.ManifestBlocks;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.data.MakeCorpus;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.ImageInputFormat;
import org.tinytags.split.SplitJob;
import org.tinytags.train.ForestData;
import org.tinytags.train.ForestModel;

/**
 * {@code bench classify}: on one corpus and in one process, times a null job (classify's input
 * format and blocks, a mapper that only reads each record) against {@code classify}, and prints
 * both, their ratio and images per second per core. The corpus (made from CIFAR-10, lightly
 * varied) and its blocks are kept in the work directory and reused by later runs.
 */
public class ClassifyBenchmark extends Command {
  private static final String CIFAR_ENV = "TINYTAGS_CIFAR_DIR";

  @Override
  public String name() {
    return "bench classify";
  }

  @Override
  public String summary() {
    return "Time classify against a null job that only reads the same blocks.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("model", "dir", "model directory written by train"))
        .addOption(flag("images", "N", "images in the benchmark corpus"))
        .addOption(flag("images-per-block", "N", "images per block (default 10000)"))
        .addOption(flag("cifar", "dir", "CIFAR-10 to draw the corpus from (default $"
            + CIFAR_ENV + ")"))
        .addOption(flag("work", "dir", "where the corpus, blocks and rows go (default "
            + "work/bench)"))
        .addOption(flag("report", "file", "also write the figures as JSON"));
  }

  /** Reads every record and does nothing with it: Hadoop's own I/O path, nothing more. */
  public static class NullMapper extends Mapper<LongWritable, BytesWritable, NullWritable,
      NullWritable> {
    private long checksum;

    @Override
    protected void map(LongWritable key, BytesWritable value, Context context) {
      // Touch the bytes so the read cannot be skipped.
      checksum += value.getBytes()[value.getLength() - 1] + key.get();
    }

    @Override
    protected void cleanup(Context context) {
      context.getCounter("tinytags.bench", "checksum").increment(checksum);
    }
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    String model = required(line, "model");
    long images = positiveLong(line, "images", null);
    long perBlock = positiveLong(line, "images-per-block", 10_000L);
    String cifar = line.getOptionValue("cifar", System.getenv(CIFAR_ENV));
    if (cifar == null) {
      throw new UsageException("--cifar is required (or set " + CIFAR_ENV + ")");
    }
    Path work = new Path(line.getOptionValue("work", "work/bench"));
    FileSystem fs = work.getFileSystem(conf);
    Path corpus = new Path(work, "corpus-" + images + ".tiny");
    Path blocks = new Path(work, "blocks-" + images + "-" + perBlock);
    Path rows = new Path(work, "tags-" + images);

    if (!fs.exists(corpus)) {
      tool(new MakeCorpus(), "--cifar", cifar, "--images", String.valueOf(images), "--layout",
          "tiny", "--output", corpus.toString(), "--overwrite");
    }
    if (!fs.exists(BlockManifest.pathIn(blocks))) {
      tool(new SplitJob(), "--input", corpus.toString(), "--layout", "tiny",
          "--images-per-block", String.valueOf(perBlock), "--output", blocks.toString(),
          "--overwrite");
    }
    BlockManifest manifest = BlockManifest.read(fs, blocks);

    Job nullJob = Job.getInstance(new Configuration(conf), "tinytags bench null job");
    Jobs.setJar(nullJob, ClassifyBenchmark.class);
    ImageInputFormat.setLayout(nullJob.getConfiguration(), manifest.imageLayout());
    ManifestBlocks.setBlocks(nullJob.getConfiguration(), fs.makeQualified(blocks),
        manifest.blocks().stream().map(BlockManifest.Block::block).toList());
    nullJob.setInputFormatClass(ManifestBlocks.class);
    nullJob.setMapperClass(NullMapper.class);
    nullJob.setNumReduceTasks(0);
    nullJob.setOutputFormatClass(NullOutputFormat.class);
    long start = System.nanoTime();
    Jobs.run(nullJob);
    double nullSeconds = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    tool(new ClassifyJob(), "--model", model, "--blocks", blocks.toString(), "--output",
        rows.toString(), "--overwrite");
    double classifySeconds = (System.nanoTime() - start) / 1e9;

    double[] profile = profile(model, fs, blocks, manifest);

    int cores = Math.min(Runtime.getRuntime().availableProcessors(),
        conf.getInt("mapreduce.local.map.tasks.maximum", 1));
    long orcBytes = fs.getContentSummary(rows).getLength();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("images", manifest.images());
    report.put("blocks", manifest.blocks().size());
    report.put("nullSeconds", nullSeconds);
    report.put("classifySeconds", classifySeconds);
    report.put("ratio", classifySeconds / nullSeconds);
    report.put("cores", cores);
    report.put("imagesPerSecondPerCore", manifest.images() / classifySeconds / cores);
    report.put("nullImagesPerSecondPerCore", manifest.images() / nullSeconds / cores);
    report.put("orcBytesPerImage", (double) orcBytes / manifest.images());
    report.put("profileImages", (long) profile[0]);
    report.put("featureMicrosPerImage", profile[1]);
    report.put("forestMicrosPerImage", profile[2]);
    report.put("mahoutForestMicrosPerImage", profile[3]);
    System.out.printf("bench classify: %,d images in %d blocks, %d cores%n", manifest.images(),
        manifest.blocks().size(), cores);
    System.out.printf("  null job  %8.1f s  %,10.0f images/s/core%n", nullSeconds,
        report.get("nullImagesPerSecondPerCore"));
    System.out.printf("  classify  %8.1f s  %,10.0f images/s/core%n", classifySeconds,
        report.get("imagesPerSecondPerCore"));
    System.out.printf("  ratio     %8.2f   (target <= 1.3)%n", classifySeconds / nullSeconds);
    System.out.printf("  ORC       %8.1f bytes/image%n", report.get("orcBytesPerImage"));
    System.out.printf("  profile (one thread, %,d images): features %.1f us/image, forest "
        + "votes %.1f us/image (Mahout's DecisionForest.classify: %.1f)%n", (long) profile[0],
        profile[1], profile[2], profile[3]);
    if (line.hasOption("report")) {
      Path file = new Path(line.getOptionValue("report"));
      try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, report);
      }
    }
    return 0;
  }

  /**
   * Where classify's time goes, in this process on one thread: feature extraction and the
   * forest's votes for the first block's images, by the flat trees and by Mahout's classifier.
   * Returns {images, feature us, flat forest us, Mahout forest us} per image.
   */
  private double[] profile(String modelDir, FileSystem fs, Path blocks, BlockManifest manifest)
      throws IOException {
    Path modelPath = new Path(modelDir);
    ForestModel model = ForestModel.load(modelPath.getFileSystem(getConf()), modelPath);
    BlockManifest.Block first = manifest.block(0);
    byte[] records = new byte[(int) first.bytes()];
    try (var in = fs.open(new Path(blocks, first.file()))) {
      org.apache.hadoop.io.IOUtils.readFully(in, records, 0, records.length);
    }
    ImageLayout layout = manifest.imageLayout();
    int images = (int) first.images();
    ForestData.RowMaker rowMaker = new ForestData.RowMaker(model.newExtractor());
    List<double[]> rows = new ArrayList<>(images);
    long start = System.nanoTime();
    for (int i = 0; i < images; i++) {
      rows.add(rowMaker.row(layout, records, i * layout.recordBytes()));
    }
    double featureMicros = (System.nanoTime() - start) / 1e3 / images;
    double[] forestMicros = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      start = System.nanoTime();
      for (int from = 0; from < images; from += 256) {
        List<double[]> batch = rows.subList(from, Math.min(images, from + 256));
        if (pass == 0) {
          model.mahoutClassVotes(batch);
        } else {
          model.classVotes(batch);
        }
      }
      forestMicros[pass] = (System.nanoTime() - start) / 1e3 / images;
    }
    return new double[] {images, featureMicros, forestMicros[1], forestMicros[0]};
  }

  private void tool(Tool tool, String... args) throws Exception {
    int status = ToolRunner.run(new Configuration(getConf()), tool, args);
    if (status != 0) {
      throw new IOException(tool.getClass().getSimpleName() + " failed (exit " + status + ")");
    }
  }
}

package org.tinytags.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.classify.ClassifyJob;
import org.tinytags.classify.ClassifyManifest;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.image.ImageLayout;
import org.tinytags.index.IndexJob;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.split.SplitJob;
import org.tinytags.train.TrainJob;

/**
 * {@code bench plan}: how the drivers of split, classify and index cope with a corpus of the
 * full size (79,302,017 images, 227 GiB) without any data. It lays out a sparse corpus file,
 * sparse block files with their manifest and sparse ORC partitions with their lineage (sparse
 * files take no disk), then runs each driver to the point of submission ({@link
 * Jobs#PLAN_ONLY}: splits, split files and job.xml, no task) and reports, per stage, the map
 * tasks, the driver's seconds (listing, checks, planning), getSplits' seconds and job.xml's bytes.
 * The layout is kept in the work directory and reused.
 */
public class PlanBenchmark extends Command {
  private static final String CIFAR_ENV = "TINYTAGS_CIFAR_DIR";
  /** Sparse placeholder bytes per ORC row: about what classify writes (ORC, zlib). */
  private static final long ORC_BYTES_PER_ROW = 12;

  @Override
  public String name() {
    return "bench plan";
  }

  @Override
  public String summary() {
    return "Time the planning of split, classify and index for a full-size corpus of sparse "
        + "files.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("images", "N", "images in the corpus (the whole 80 Million Tiny Images: "
            + "79302017)"))
        .addOption(flag("images-per-block", "N", "images per block (default 3000)"))
        .addOption(flag("model", "dir", "model for classify's driver (default: a 1-tree model "
            + "trained here from $" + CIFAR_ENV + ")"))
        .addOption(flag("work", "dir", "where the sparse layout goes (default work/plan)"))
        .addOption(flag("report", "file", "also write the figures as JSON"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    long images = positiveLong(line, "images", null);
    long perBlock = positiveLong(line, "images-per-block", 3000L);
    java.nio.file.Path work = java.nio.file.Path.of(line.getOptionValue("work", "work/plan"))
        .toAbsolutePath();
    java.nio.file.Path layout = work.resolve(images + "-" + perBlock);
    Files.createDirectories(layout);
    String model = line.hasOption("model") ? line.getOptionValue("model")
        : tinyModel(work.resolve("model"));

    long start = System.nanoTime();
    Path corpus = sparseCorpus(layout.resolve("corpus.tiny"), images);
    Path blocks = sparseBlocks(layout.resolve("blocks"), images, perBlock);
    Path classified = sparseRows(layout.resolve("tags"), blocks, images, perBlock);
    System.err.printf("bench plan: sparse layout of %,d images in %,d blocks ready (%.1f s)%n",
        images, (images + perBlock - 1) / perBlock, (System.nanoTime() - start) / 1e9);

    Map<String, Object> stages = new LinkedHashMap<>();
    stages.put("split", plan(new SplitJob(), "--input", corpus.toString(), "--layout", "tiny",
        "--images-per-block", String.valueOf(perBlock), "--output",
        layout.resolve("split-out").toString(), "--overwrite"));
    stages.put("classify", plan(new ClassifyJob(), "--model", model, "--blocks",
        blocks.toString(), "--output", layout.resolve("classify-out").toString(),
        "--overwrite"));
    stages.put("index", plan(new IndexJob(), "--classified", classified.toString(), "--output",
        layout.resolve("index-out").toString(), "--shards", "16", "--overwrite"));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("images", images);
    report.put("imagesPerBlock", perBlock);
    report.put("blocks", (images + perBlock - 1) / perBlock);
    report.put("stages", stages);
    System.out.printf("bench plan: %,d images, %,d per block, %,d blocks%n", images, perBlock,
        (images + perBlock - 1) / perBlock);
    System.out.printf("  %-9s %8s %10s %11s %14s%n", "stage", "tasks", "driver s",
        "getSplits s", "job.xml bytes");
    for (Map.Entry<String, Object> stage : stages.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) stage.getValue();
      System.out.printf("  %-9s %,8d %10.2f %11.2f %,14d%n", stage.getKey(), s.get("tasks"),
          s.get("driverSeconds"), s.get("getSplitsSeconds"), s.get("jobXmlBytes"));
    }
    System.out.println("  targets: each stage plans in <= 10 s, job.xml <= 256 KB");
    if (line.hasOption("report")) {
      Path file = new Path(line.getOptionValue("report"));
      try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, report);
      }
    }
    return 0;
  }

  /** Runs {@code tool}'s driver to submission and returns what planning took. */
  private Map<String, Object> plan(Tool tool, String... args) throws Exception {
    Configuration conf = new Configuration(getConf());
    conf.setBoolean(Jobs.PLAN_ONLY, true);
    long start = System.nanoTime();
    Jobs.Planned planned;
    try {
      int status = ToolRunner.run(conf, tool, args);
      throw new IOException(tool.getClass().getSimpleName() + " ended (exit " + status
          + ") without planning a job");
    } catch (Jobs.Planned e) {
      planned = e;
    }
    Map<String, Object> stage = new LinkedHashMap<>();
    stage.put("tasks", planned.tasks());
    stage.put("driverSeconds", (System.nanoTime() - start) / 1e9);
    stage.put("getSplitsSeconds", planned.splitsNanos() / 1e9);
    stage.put("jobXmlBytes", planned.jobXmlBytes());
    stage.put("splitFileBytes", planned.splitFileBytes());
    return stage;
  }

  private String tinyModel(java.nio.file.Path dir) throws Exception {
    if (Files.isDirectory(dir)) {
      return dir.toString();
    }
    String cifar = System.getenv(CIFAR_ENV);
    if (cifar == null) {
      throw new UsageException("--model is required (or set " + CIFAR_ENV + " to train one)");
    }
    int status = ToolRunner.run(new Configuration(getConf()), new TrainJob(), new String[] {
        "--cifar", cifar, "--images", "200", "--trees", "1", "--mappers", "1", "--output",
        dir.toString()});
    if (status != 0) {
      throw new IOException("could not train the benchmark's model (exit " + status + ")");
    }
    return dir.toString();
  }

  private static void sparse(java.nio.file.Path file, long bytes) throws IOException {
    if (Files.exists(file) && Files.size(file) == bytes) {
      return;
    }
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(bytes);
    }
  }

  private static Path sparseCorpus(java.nio.file.Path file, long images) throws IOException {
    sparse(file, images * ImageLayout.TINY.recordBytes());
    return new Path(file.toUri());
  }

  private Path sparseBlocks(java.nio.file.Path dir, long images, long perBlock)
      throws IOException {
    Path hadoopDir = new Path(dir.toUri());
    FileSystem fs = FileSystem.getLocal(getConf());
    if (Files.exists(dir.resolve(BlockManifest.FILE_NAME))) {
      return hadoopDir;
    }
    Files.createDirectories(dir);
    int recordBytes = ImageLayout.TINY.recordBytes();
    List<BlockManifest.Block> entries = new ArrayList<>();
    for (int block = 0; (long) block * perBlock < images; block++) {
      long first = block * perBlock;
      long count = Math.min(perBlock, images - first);
      String name = BlockNames.blockFile(block);
      sparse(dir.resolve(name), count * recordBytes);
      // Zeros throughout: the SHA-256 is never checked, no task runs.
      entries.add(new BlockManifest.Block(block, name, first, count, count * recordBytes,
          "0".repeat(64)));
    }
    new BlockManifest(ImageLayout.TINY.id(), recordBytes, perBlock, images,
        images * recordBytes, "sparse:" + images, entries).write(fs, hadoopDir);
    return hadoopDir;
  }

  private Path sparseRows(java.nio.file.Path dir, Path blocks, long images, long perBlock)
      throws IOException {
    Path hadoopDir = new Path(dir.toUri());
    FileSystem fs = FileSystem.getLocal(getConf());
    if (Files.exists(dir.resolve(ClassifyManifest.FILE_NAME))) {
      return hadoopDir;
    }
    Map<Integer, Long> rows = new TreeMap<>();
    for (int block = 0; (long) block * perBlock < images; block++) {
      long count = Math.min(perBlock, images - block * perBlock);
      java.nio.file.Path partition = dir.resolve(BlockNames.partition(block));
      Files.createDirectories(partition);
      sparse(partition.resolve(String.format("part-%05d.orc", block)), count * ORC_BYTES_PER_ROW);
      rows.put(block, count);
    }
    new ClassifyManifest(blocks.toString(), ClassifyManifest.splitSha256(fs, blocks),
        rows.size(), "0".repeat(64), 0.4, rows).write(fs, hadoopDir);
    return hadoopDir;
  }
}

package org.tinytags.validate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.apache.orc.OrcConf;
import org.apache.orc.mapred.OrcStruct;
import org.tinytags.classify.ClassifyManifest;
import org.tinytags.classify.TagRow;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.JvmOptions;
import org.tinytags.index.ClassifiedRows;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.io.CleanupOnSuccessMapper;

/**
 * {@code validate}: checks a classify output against the split it was made from, as Hadoop's
 * TeraValidate checks TeraSort's. A map-only job reads the image ids of every ORC file (one
 * mapper per file through index's {@link ClassifiedRows}, only the id and block columns) and reports each file's first and last id,
 * its row count and any break in the sequence; the driver then checks, against the split's
 * manifest: no block missing or extra, rows per block = the block's images, ids contiguous from
 * the block's first image, and {@code _classify.json}'s lineage (the split's manifest SHA-256,
 * rows per block). Each problem is one line naming the block; the exit status is 1 if there is
 * any.
 */
public class ValidateJob extends Command {
  private static final String REPORT = "tinytags validate";

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String summary() {
    return "Check a classify output against its split: every block's rows, once, in order.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("blocks", "dir", "output of split the rows were classified from"))
        .addOption(flag("classified", "dir", "output of classify to check"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path blocksDir = new Path(required(line, "blocks"));
    Path classified = new Path(required(line, "classified"));
    FileSystem blocksFs = blocksDir.getFileSystem(conf);
    BlockManifest manifest = BlockManifest.read(blocksFs, blocksDir);
    FileSystem fs = classified.getFileSystem(conf);
    ClassifyManifest lineage = ClassifyManifest.read(fs, classified);

    List<String> problems = new ArrayList<>();
    String splitSha = ClassifyManifest.splitSha256(blocksFs, blocksDir);
    if (!lineage.splitSha256().equals(splitSha)) {
      problems.add(ClassifyManifest.FILE_NAME + ": rows of the split whose manifest SHA-256 is "
          + lineage.splitSha256() + ", not " + blocksDir + " (" + splitSha + ")");
    }
    Map<Integer, Path> partitions = ClassifiedRows.partitions(fs, classified);
    Map<Integer, BlockRows> found = partitions.isEmpty() ? Map.of()
        : readIds(conf, fs.makeQualified(classified), List.copyOf(partitions.keySet()));
    for (BlockManifest.Block block : manifest.blocks()) {
      BlockRows rows = found.get(block.block());
      String name = "block " + block.block() + " (" + BlockNames.partition(block.block()) + ")";
      if (!partitions.containsKey(block.block())) {
        problems.add(name + ": missing");
        continue;
      }
      if (rows == null) {
        problems.add(name + ": no ORC rows");
        continue;
      }
      long last = block.firstImage() + block.images() - 1;
      if (rows.rows != block.images()) {
        problems.add(name + ": " + rows.rows + " rows for the block's " + block.images()
            + " images");
      }
      if (rows.breaks > 0 || rows.first != block.firstImage() || rows.last != last) {
        problems.add(name + ": image ids " + rows.first + ".." + rows.last + " with "
            + rows.breaks + " breaks in the sequence; the block holds images "
            + block.firstImage() + ".." + last + ", each once, in order");
      }
      if (rows.wrongBlock > 0) {
        problems.add(name + ": " + rows.wrongBlock + " rows say another block");
      }
      Long recorded = lineage.blockRows().get(block.block());
      if (recorded != null && recorded != rows.rows) {
        problems.add(name + ": " + ClassifyManifest.FILE_NAME + " records " + recorded
            + " rows, the files hold " + rows.rows);
      }
    }
    for (int block : partitions.keySet()) {
      if (block >= manifest.blocks().size()) {
        problems.add("block " + block + " (" + BlockNames.partition(block) + "): extra; the "
            + "split has blocks 0-" + (manifest.blocks().size() - 1));
      }
    }

    long rows = found.values().stream().mapToLong(r -> r.rows).sum();
    for (String problem : problems) {
      System.out.println("invalid: " + problem);
    }
    System.out.printf("%s: %,d blocks, %,d rows in %s against %s: %s%n", name(),
        manifest.blocks().size(), rows, classified, blocksDir,
        problems.isEmpty() ? "valid" : problems.size() + " problems");
    return problems.isEmpty() ? 0 : 1;
  }

  /** What the files of one block's partition hold. */
  static final class BlockRows {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long rows;
    long breaks;
    long wrongBlock;

    void add(String[] fields) {
      long fileFirst = Long.parseLong(fields[2]);
      long fileLast = Long.parseLong(fields[3]);
      // Files of one partition continue each other (a block is one file when classify wrote it).
      if (rows > 0 && fileFirst != last + 1) {
        breaks++;
      }
      first = Math.min(first, fileFirst);
      last = Math.max(last, fileLast);
      rows += Long.parseLong(fields[4]);
      breaks += Long.parseLong(fields[5]);
      wrongBlock += Long.parseLong(fields[6]);
    }
  }

  private Map<Integer, BlockRows> readIds(Configuration conf, Path classified,
      List<Integer> blocks) throws IOException, InterruptedException {
    FileSystem fs = classified.getFileSystem(conf);
    Path report = fs.makeQualified(new Path(classified.getParent(),
        "." + classified.getName() + ".validate-" + java.util.UUID.randomUUID()));
    Job job = Job.getInstance(conf, REPORT + " " + classified.getName());
    Jobs.setJar(job, ValidateJob.class);
    Configuration jobConf = job.getConfiguration();
    JvmOptions.addOpensForTasks(jobConf);
    // Only the id and block columns are read.
    OrcConf.INCLUDE_COLUMNS.setString(jobConf, "0,1");
    // index's input: one whole file per split, planned from one listing.
    ClassifiedRows.setBlocks(jobConf, classified, blocks);
    job.setInputFormatClass(ClassifiedRows.class);
    job.setMapperClass(IdChecker.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(Text.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    FileOutputFormat.setOutputPath(job, report);
    try {
      Jobs.run(job);
      Map<Integer, List<String[]>> lines = new TreeMap<>();
      for (FileStatus part : fs.listStatus(report, p -> p.getName().startsWith("part-"))) {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
          for (String text = in.readLine(); text != null; text = in.readLine()) {
            String[] fields = text.trim().split(" ");
            lines.computeIfAbsent(Integer.parseInt(fields[0]), b -> new ArrayList<>())
                .add(fields);
          }
        }
      }
      Map<Integer, BlockRows> found = new TreeMap<>();
      for (Map.Entry<Integer, List<String[]>> block : lines.entrySet()) {
        block.getValue().sort(java.util.Comparator.comparingLong(f -> Long.parseLong(f[2])));
        BlockRows rows = new BlockRows();
        block.getValue().forEach(rows::add);
        found.put(block.getKey(), rows);
      }
      return found;
    } finally {
      fs.delete(report, true);
    }
  }

  /**
   * Reads one file's rows and writes one line: {@code block file first last rows breaks
   * wrongBlock}, where a break is an id that does not follow the one before it.
   */
  public static class IdChecker
      extends CleanupOnSuccessMapper<NullWritable, OrcStruct, NullWritable, Text> {
    private int block;
    private long first = -1;
    private long previous = -1;
    private long rows;
    private long breaks;
    private long wrongBlock;

    @Override
    protected void setup(Context context) throws IOException {
      Path file = ((FileSplit) context.getInputSplit()).getPath();
      block = BlockNames.partitionBlock(file.getParent().getName());
      if (block < 0) {
        throw new IOException(file + " is not in a block=NNNNN partition");
      }
    }

    @Override
    protected void map(NullWritable key, OrcStruct row, Context context) {
      long id = TagRow.imageId(row);
      if (rows == 0) {
        first = id;
      } else if (id != previous + 1) {
        breaks++;
      }
      if (TagRow.block(row) != block) {
        wrongBlock++;
      }
      previous = id;
      rows++;
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      Path file = ((FileSplit) context.getInputSplit()).getPath();
      context.write(NullWritable.get(), new Text(block + " " + file.getName() + " " + first + " "
          + previous + " " + rows + " " + breaks + " " + wrongBlock));
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new ValidateJob(), args));
  }
}

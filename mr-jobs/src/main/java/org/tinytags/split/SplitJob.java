package org.tinytags.split;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.cli.Jobs;
import org.tinytags.cli.OutputDirs;
import org.tinytags.io.CleanupOnSuccessMapper;
import org.tinytags.io.CleanupOnSuccessReducer;
import org.tinytags.io.InjectedFault;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.io.ImageFiles;
import org.tinytags.io.Sha256;

/**
 * {@code split}: cuts a corpus of fixed-length image records into numbered block files
 * ({@code block-00000.bin}, ...) and a {@code _manifest.json}.
 *
 * <p>Splits are aligned to block boundaries ({@link BlockInputFormat}), so each mapper writes
 * whole block files, in parallel, as task side files that the output committer publishes only if
 * the task succeeds. Each mapper also sends one manifest entry per block (with its SHA-256) to a
 * single reducer, which checks the entries are complete and writes the manifest.
 */
public class SplitJob extends Command {
  private static final String EXPECTED_IMAGES = "tinytags.split.expected-images";
  private static final String SOURCE = "tinytags.split.source";

  @Override
  public String name() {
    return "split";
  }

  @Override
  public String summary() {
    return "Cut a corpus of fixed-length image records into numbered block files with a manifest.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("input", "path", "corpus file, or a directory of corpus files (read in "
            + "name order)"))
        .addOption(flag("layout", "tiny|cifar", "record layout of the input"))
        .addOption(flag("images-per-block", "N", "images in each block file (the last may hold "
            + "fewer)"))
        .addOption(flag("output", "dir", "directory to write block-NNNNN.bin files and "
            + BlockManifest.FILE_NAME + " into"))
        .addOption(toggle("overwrite", "replace the output directory if it exists"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Path input = new Path(required(line, "input"));
    ImageLayout layout = parsed(line, "layout", null, ImageLayout::of);
    long imagesPerBlock = positiveLong(line, "images-per-block", null);
    Path output = new Path(required(line, "output"));

    Configuration conf = getConf();
    FileSystem inputFs = input.getFileSystem(conf);
    if (!inputFs.exists(input)) {
      throw new FileNotFoundException("input not found: " + input);
    }
    OutputDirs.Output out = OutputDirs.prepare(output, line.hasOption("overwrite"), conf, input);

    Job job = Job.getInstance(conf, "tinytags split " + input.getName());
    Jobs.setJar(job, SplitJob.class);
    Configuration jobConf = job.getConfiguration();
    BlockInputFormat.setLayout(jobConf, layout);
    BlockInputFormat.setImagesPerBlock(jobConf, imagesPerBlock);
    BlockInputFormat.addInputPath(job, input);
    job.setInputFormatClass(BlockInputFormat.class);

    ImageFiles files = new BlockInputFormat().indexInput(job);
    jobConf.setLong(EXPECTED_IMAGES, files.images());
    jobConf.set(SOURCE, input.toString());
    long blocks = (files.images() + imagesPerBlock - 1) / imagesPerBlock;
    System.err.printf("split: %,d %s images from %s into %,d blocks of %,d%n", files.images(),
        layout.id(), input, blocks, imagesPerBlock);

    job.setMapperClass(BlockWriter.class);
    job.setMapOutputKeyClass(IntWritable.class);
    job.setMapOutputValueClass(Text.class);
    job.setReducerClass(ManifestWriter.class);
    job.setNumReduceTasks(1);
    // Block files and the manifest are task side files; Lazy keeps empty part files away.
    LazyOutputFormat.setOutputFormatClass(job, TextOutputFormat.class);
    FileOutputFormat.setOutputPath(job, out.dir());

    try {
      Jobs.run(job);
    } catch (IOException e) {
      out.abort();
      throw e;
    }
    out.commit();
    BlockManifest manifest = BlockManifest.read(output.getFileSystem(conf), output);
    System.err.printf("split: wrote %,d blocks, %,d images, %,d bytes to %s%n",
        manifest.blocks().size(), manifest.images(), manifest.bytes(), output);
    return 0;
  }

  /**
   * Writes each block of its split to a block file, and emits the block's manifest entry (the
   * last block's only after the whole split was read).
   */
  public static class BlockWriter
      extends CleanupOnSuccessMapper<LongWritable, BytesWritable, IntWritable, Text> {
    private long imagesPerBlock;
    private Path workDir;
    private FileSystem fs;
    private MessageDigest sha256;
    private OutputStream out;
    private int block = -1;
    private long blockFirstImage;
    private long blockImages;
    private long blockBytes;
    private long written;
    private InjectedFault fault;

    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      imagesPerBlock = BlockInputFormat.getImagesPerBlock(context.getConfiguration());
      workDir = FileOutputFormat.getWorkOutputPath(context);
      fs = workDir.getFileSystem(context.getConfiguration());
      sha256 = Sha256.newDigest();
      fault = InjectedFault.of(context);
    }

    @Override
    protected void map(LongWritable index, BytesWritable record, Context context)
        throws IOException, InterruptedException {
      int recordBlock = (int) (index.get() / imagesPerBlock);
      if (recordBlock != block) {
        finishBlock(context);
        startBlock(recordBlock, index.get());
      }
      if (index.get() != blockFirstImage + blockImages) {
        throw new IOException("image " + index.get() + " arrived where image "
            + (blockFirstImage + blockImages) + " of block " + block + " belongs");
      }
      out.write(record.getBytes(), 0, record.getLength());
      sha256.update(record.getBytes(), 0, record.getLength());
      blockImages++;
      blockBytes += record.getLength();
      if (fault.due(++written)) {
        out.flush();
        fault.fire();
      }
    }

    @Override
    protected void abandon(Context context) throws IOException {
      if (out != null) {
        out.close();
      }
    }

    private void startBlock(int number, long firstImage) throws IOException {
      if (firstImage != number * imagesPerBlock) {
        throw new IOException("block " + number + " would start at image " + firstImage
            + " instead of " + number * imagesPerBlock + ": split not aligned to blocks");
      }
      block = number;
      blockFirstImage = firstImage;
      blockImages = 0;
      blockBytes = 0;
      sha256.reset();
      out = new BufferedOutputStream(
          fs.create(new Path(workDir, BlockNames.blockFile(number)), false), 1 << 20);
    }

    private void finishBlock(Context context) throws IOException, InterruptedException {
      if (out == null) {
        return;
      }
      out.close();
      out = null;
      BlockManifest.Block entry = new BlockManifest.Block(block,
          BlockNames.blockFile(block), blockFirstImage, blockImages, blockBytes,
          Sha256.hex(sha256));
      context.write(new IntWritable(block), new Text(entry.toJson()));
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      finishBlock(context);
    }
  }

  /** Single reducer: gathers the block entries in block order and writes the manifest. */
  public static class ManifestWriter
      extends CleanupOnSuccessReducer<IntWritable, Text, Text, Text> {
    private final List<BlockManifest.Block> blocks = new ArrayList<>();

    @Override
    protected void reduce(IntWritable block, Iterable<Text> entries, Context context)
        throws IOException {
      int count = 0;
      for (Text entry : entries) {
        blocks.add(BlockManifest.Block.fromJson(entry.toString()));
        count++;
      }
      if (count != 1) {
        throw new IOException("block " + block + " was written " + count + " times");
      }
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      Configuration conf = context.getConfiguration();
      ImageLayout layout = BlockInputFormat.getLayout(conf);
      long imagesPerBlock = BlockInputFormat.getImagesPerBlock(conf);
      long images = blocks.stream().mapToLong(BlockManifest.Block::images).sum();
      long bytes = blocks.stream().mapToLong(BlockManifest.Block::bytes).sum();
      BlockManifest manifest = new BlockManifest(layout.id(), layout.recordBytes(),
          imagesPerBlock, images, bytes, conf.get(SOURCE), blocks);
      manifest.validate("split output");
      long expected = conf.getLong(EXPECTED_IMAGES, -1);
      if (images != expected) {
        throw new IOException("split wrote " + images + " images but the input holds " + expected);
      }
      for (BlockManifest.Block b : blocks.subList(0, Math.max(0, blocks.size() - 1))) {
        if (b.images() != imagesPerBlock) {
          throw new IOException("block " + b.block() + " holds " + b.images() + " images, not "
              + imagesPerBlock);
        }
      }
      Path workDir = FileOutputFormat.getWorkOutputPath(context);
      manifest.write(workDir.getFileSystem(conf), workDir);
      InjectedFault fault = InjectedFault.of(context);
      if (fault.due(blocks.size())) {
        fault.fire();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new SplitJob(), args));
  }
}

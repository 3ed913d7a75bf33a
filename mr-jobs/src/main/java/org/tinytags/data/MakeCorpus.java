package org.tinytags.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.image.ImageLayout;

/**
 * {@code make-corpus}: writes a corpus of N images drawn from CIFAR-10 in a chosen layout, with a
 * {@code <file>.labels} sidecar (one label byte per image): a stand-in for 80 Million Tiny Images
 * that comes with ground truth. {@code --variation none} copies the source batch in order,
 * cycling; {@code light} draws images at random and flips, shifts and adds noise to them.
 */
public class MakeCorpus extends Command {
  public static final String LABELS_SUFFIX = ".labels";
  private static final int MAX_SHIFT = 2;
  private static final int NOISE = 4;

  /** How far each corpus image departs from its CIFAR-10 source. */
  public enum Variation {
    NONE, LIGHT;

    static Variation of(String value) {
      for (Variation v : values()) {
        if (v.name().equalsIgnoreCase(value)) {
          return v;
        }
      }
      throw new IllegalArgumentException("expected light or none, not '" + value + "'");
    }
  }

  @Override
  public String name() {
    return "make-corpus";
  }

  @Override
  public String summary() {
    return "Write a corpus of N images drawn from CIFAR-10, with a .labels file of true labels.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("cifar", "dir", "CIFAR-10 binary batches (see fetch-cifar)"))
        .addOption(flag("images", "N", "images to write"))
        .addOption(flag("layout", "tiny|cifar", "record layout to write (default tiny)"))
        .addOption(flag("output", "file", "corpus file; labels go to <file>" + LABELS_SUFFIX))
        .addOption(flag("source", "test|train", "CIFAR-10 images to draw from (default test)"))
        .addOption(flag("variation", "light|none", "light: random draws, flips, shifts of up to "
            + MAX_SHIFT + " px and noise of up to +-" + NOISE + " levels; none: exact copies in "
            + "batch order, cycling (default light)"))
        .addOption(flag("seed", "S", "random seed for light variation (default 1)"))
        .addOption(toggle("overwrite", "replace existing output files"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Configuration conf = getConf();
    Path cifarPath = new Path(required(line, "cifar"));
    long images = positiveLong(line, "images", null);
    Path output = new Path(required(line, "output"));
    ImageLayout layout = parsed(line, "layout", "tiny", ImageLayout::of);
    boolean train = "train".equals(parsed(line, "source", "test", MakeCorpus::source));
    Variation variation = parsed(line, "variation", "light", Variation::of);
    long seed = longFlag(line, "seed", 1);

    CifarDirectory cifar = CifarDirectory.open(cifarPath, conf);
    List<Path> batches = train ? cifar.trainBatches() : List.of(cifar.testBatch());
    byte[] source = cifar.read(batches);
    write(source, images, layout, variation, seed, output, line.hasOption("overwrite"), conf);
    System.err.printf("make-corpus: wrote %,d %s images (%s variation) to %s and %s%n", images,
        layout.id(), variation.name().toLowerCase(java.util.Locale.ROOT), output,
        labelsPath(output));
    return 0;
  }

  private static String source(String value) {
    if (!value.equals("test") && !value.equals("train")) {
      throw new IllegalArgumentException("expected test or train, not '" + value + "'");
    }
    return value;
  }

  public static Path labelsPath(Path corpus) {
    return corpus.suffix(LABELS_SUFFIX);
  }

  /**
   * Writes the corpus and its labels from {@code cifarRecords} (CIFAR-layout records) into
   * temporary files first, renamed into place at the end, so a failure leaves no half corpus.
   */
  static void write(byte[] cifarRecords, long images, ImageLayout layout, Variation variation,
      long seed, Path output, boolean overwrite, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    Path labels = labelsPath(output);
    for (Path p : List.of(output, labels)) {
      if (fs.exists(p) && !overwrite) {
        throw new FileAlreadyExistsException(p + " already exists; pass --overwrite to replace it");
      }
    }
    Path partialCorpus = new Path(output.getParent(), "." + output.getName() + ".partial");
    Path partialLabels = new Path(output.getParent(), "." + labels.getName() + ".partial");
    int sourceCount = cifarRecords.length / ImageLayout.CIFAR.recordBytes();
    SplittableRandom random = new SplittableRandom(seed);
    byte[] original = new byte[ImageLayout.PIXEL_BYTES];
    byte[] varied = new byte[ImageLayout.PIXEL_BYTES];
    byte[] record = new byte[layout.recordBytes()];
    try (OutputStream corpusOut = new BufferedOutputStream(fs.create(partialCorpus, true), 1 << 20);
        OutputStream labelsOut = new BufferedOutputStream(fs.create(partialLabels, true), 1 << 16)) {
      for (long i = 0; i < images; i++) {
        int from = variation == Variation.NONE ? (int) (i % sourceCount)
            : random.nextInt(sourceCount);
        int at = from * ImageLayout.CIFAR.recordBytes();
        int label = ImageLayout.CIFAR.label(cifarRecords, at);
        ImageLayout.CIFAR.toCanonical(cifarRecords, at, original);
        byte[] pixels = original;
        if (variation == Variation.LIGHT) {
          vary(original, varied, random);
          pixels = varied;
        }
        layout.fromCanonical(pixels, label, record, 0);
        corpusOut.write(record);
        labelsOut.write(label);
      }
    } catch (IOException | RuntimeException e) {
      fs.delete(partialCorpus, false);
      fs.delete(partialLabels, false);
      throw e;
    }
    replace(fs, partialCorpus, output);
    replace(fs, partialLabels, labels);
  }

  private static void replace(FileSystem fs, Path from, Path to) throws IOException {
    if (fs.exists(to)) {
      fs.delete(to, false);
    }
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  /** A horizontal flip (half the time), a shift with edge replication, and uniform noise. */
  private static void vary(byte[] in, byte[] out, SplittableRandom random) {
    boolean flip = random.nextBoolean();
    int dx = random.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
    int dy = random.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
    int side = ImageLayout.SIDE;
    for (int ch = 0; ch < 3; ch++) {
      int plane = ch * ImageLayout.PLANE;
      for (int row = 0; row < side; row++) {
        int sourceRow = Math.min(side - 1, Math.max(0, row - dy));
        for (int col = 0; col < side; col++) {
          int shifted = Math.min(side - 1, Math.max(0, col - dx));
          int sourceCol = flip ? side - 1 - shifted : shifted;
          int value = (in[plane + sourceRow * side + sourceCol] & 0xff)
              + random.nextInt(-NOISE, NOISE + 1);
          out[plane + row * side + col] = (byte) Math.min(255, Math.max(0, value));
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new MakeCorpus(), args));
  }
}

package org.tinytags.hive;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.io.BlockManifest;

/**
 * The rows of the tables TinyTags writes itself, as tab-separated text files Hive reads in
 * place: {@code blocks} from a split's manifest, {@code true_labels} from a make-corpus
 * sidecar. Each is written whole under a hidden name (Hive skips names starting with a dot)
 * and then renamed into place, so a failed write never leaves half a table; running again
 * gives the same bytes.
 */
public final class TableData {
  /**
   * Beside the blocks: {@code <split output>/hive-blocks/blocks.tsv}. Not {@code _…}: Hadoop's
   * input formats take a directory whose name starts with _ or . for hidden, even as a table's
   * location ("Input path does not exist").
   */
  public static final String BLOCKS_DIR = "hive-blocks";
  /** Beside the sidecar: {@code <corpus>.labels_hive/labels.tsv}. */
  public static final String LABELS_DIR_SUFFIX = "_hive";

  private TableData() {}

  public static Path blocksDir(Path splitOutput) {
    return new Path(splitOutput, BLOCKS_DIR);
  }

  public static Path labelsDir(Path labelsFile) {
    return new Path(labelsFile.getParent(), labelsFile.getName() + LABELS_DIR_SUFFIX);
  }

  /** One row per block: block, file, first_image, images, bytes, sha256. */
  public static Path writeBlocks(FileSystem fs, Path splitOutput, BlockManifest manifest)
      throws IOException {
    Path dir = blocksDir(splitOutput);
    return replace(fs, new Path(dir, "blocks.tsv"), out -> {
      for (BlockManifest.Block b : manifest.blocks()) {
        out.write(b.block() + "\t" + b.file() + "\t" + b.firstImage() + "\t" + b.images()
            + "\t" + b.bytes() + "\t" + b.sha256() + "\n");
      }
    });
  }

  /**
   * Fails unless every byte of the sidecar is a CIFAR-10 label (naming the first that is not)
   * and, given the corpus {@code manifest}, there is one per image.
   */
  public static void checkLabels(FileSystem fs, Path labelsFile, BlockManifest manifest)
      throws IOException {
    long length = fs.getFileStatus(labelsFile).getLen();
    if (manifest != null && length != manifest.images()) {
      throw new IOException(labelsFile + " holds " + length + " labels, but the corpus has "
          + manifest.images() + " images: is it the sidecar of another corpus?");
    }
    readLabels(fs, labelsFile, (image, label) -> { });
  }

  /** One row per image of the sidecar: image_id (the byte's offset), label. */
  public static Path writeLabels(FileSystem fs, Path labelsFile) throws IOException {
    Path dir = labelsDir(labelsFile);
    return replace(fs, new Path(dir, "labels.tsv"), out -> {
      StringBuilder line = new StringBuilder(24);
      readLabels(fs, labelsFile, (image, label) -> {
        line.setLength(0);
        out.append(line.append(image).append('\t').append(label).append('\n'));
      });
    });
  }

  private interface LabelConsumer {
    void accept(long image, int label) throws IOException;
  }

  private static void readLabels(FileSystem fs, Path labelsFile, LabelConsumer consumer)
      throws IOException {
    try (InputStream in = new BufferedInputStream(fs.open(labelsFile), 1 << 16)) {
      long image = 0;
      for (int label; (label = in.read()) >= 0; image++) {
        if (label > 9) {
          throw new IOException(labelsFile + ": byte " + image + " is " + label
              + ", not a CIFAR-10 label 0-9");
        }
        consumer.accept(image, label);
      }
    }
  }

  private interface Rows {
    void write(Writer out) throws IOException;
  }

  private static Path replace(FileSystem fs, Path file, Rows rows) throws IOException {
    Path temporary = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (Writer out = new BufferedWriter(new OutputStreamWriter(fs.create(temporary, true),
        StandardCharsets.UTF_8), 1 << 16)) {
      rows.write(out);
    } catch (IOException e) {
      fs.delete(temporary, false);
      throw e;
    }
    fs.delete(file, false);
    if (!fs.rename(temporary, file)) {
      throw new IOException("could not rename " + temporary + " to " + file);
    }
    return file.getParent();
  }
}

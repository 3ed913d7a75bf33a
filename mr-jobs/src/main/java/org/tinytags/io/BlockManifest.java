package org.tinytags.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.image.ImageLayout;

/**
 * {@code _manifest.json} of a split corpus: the layout and, per numbered block file, its first
 * global image index, image count, size and SHA-256. Block numbers are the unit every later stage
 * restarts by. The JSON keys are a published contract: extend, never rename.
 *
 * @param layout {@link ImageLayout#id()} of every block
 * @param recordBytes bytes per image record
 * @param imagesPerBlock images in every block but the last
 * @param images images in all blocks
 * @param bytes bytes in all blocks
 * @param source the input the corpus was split from, as given
 * @param blocks the blocks, numbered 0..n-1 in image order
 */
public record BlockManifest(String layout, int recordBytes, long imagesPerBlock, long images,
    long bytes, String source, List<Block> blocks) {

  public static final String FILE_NAME = "_manifest.json";
  private static final java.util.regex.Pattern BLOCK_FILE =
      java.util.regex.Pattern.compile("block-(\\d{1,9})\\.bin");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One block file.
   *
   * @param block block number
   * @param file file name inside the corpus directory
   * @param firstImage global index of its first image
   * @param images images it holds
   * @param bytes its length
   * @param sha256 hex SHA-256 of its bytes
   */
  public record Block(int block, String file, long firstImage, long images, long bytes,
      String sha256) {

    public static Block fromJson(String json) throws IOException {
      return JSON.readValue(json, Block.class);
    }

    public String toJson() {
      try {
        return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public BlockManifest {
    blocks = List.copyOf(blocks);
  }

  public static Path pathIn(Path corpusDir) {
    return new Path(corpusDir, FILE_NAME);
  }

  public ImageLayout imageLayout() {
    return ImageLayout.of(layout);
  }

  /** The block stored in {@code fileName}, or null. */
  public Block blockInFile(String fileName) {
    // Split names block n's file after n: look there first, not through 26,000 entries.
    java.util.regex.Matcher numbered = BLOCK_FILE.matcher(fileName);
    if (numbered.matches()) {
      int n = Integer.parseInt(numbered.group(1));
      if (n < blocks.size() && blocks.get(n).file().equals(fileName)) {
        return blocks.get(n);
      }
    }
    for (Block b : blocks) {
      if (b.file().equals(fileName)) {
        return b;
      }
    }
    return null;
  }

  /**
   * Checks the manifest is whole: blocks numbered 0..n-1, each starting where the previous ended,
   * totals that add up. Throws with what is wrong, naming {@code where}.
   */
  public BlockManifest validate(Object where) throws IOException {
    long nextImage = 0;
    long sumBytes = 0;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      String problem = null;
      if (b.block() != i) {
        problem = "expected block " + i + " but found block " + b.block();
      } else if (b.firstImage() != nextImage) {
        problem = "block " + i + " starts at image " + b.firstImage() + ", expected " + nextImage;
      } else if (b.bytes() != b.images() * recordBytes) {
        problem = "block " + i + " has " + b.images() + " images but " + b.bytes() + " bytes";
      }
      if (problem != null) {
        throw new IOException(where + ": inconsistent manifest: " + problem);
      }
      nextImage += b.images();
      sumBytes += b.bytes();
    }
    if (nextImage != images || sumBytes != bytes) {
      throw new IOException(where + ": inconsistent manifest: blocks hold " + nextImage
          + " images / " + sumBytes + " bytes, totals say " + images + " / " + bytes);
    }
    return this;
  }

  public static BlockManifest read(FileSystem fs, Path corpusDir) throws IOException {
    Path file = pathIn(corpusDir);
    if (!fs.exists(file)) {
      throw new FileNotFoundException(
          "no " + FILE_NAME + " in " + corpusDir + ": is this the output of 'tinytags split'?");
    }
    return readFile(fs, file);
  }

  /** Reads and checks a manifest stored under any name (a distributed cache link, say). */
  public static BlockManifest readFile(FileSystem fs, Path file) throws IOException {
    BlockManifest manifest;
    try (InputStream in = fs.open(file)) {
      manifest = JSON.readValue(in, BlockManifest.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a readable block manifest: " + e.getOriginalMessage(), e);
    }
    if (manifest.layout() == null || manifest.blocks() == null) {
      throw new IOException(file + ": not a block manifest (no \"layout\" or \"blocks\")");
    }
    if (manifest.imageLayout().recordBytes() != manifest.recordBytes()) {
      throw new IOException(file + ": layout " + manifest.layout() + " has "
          + manifest.imageLayout().recordBytes() + "-byte records, manifest says "
          + manifest.recordBytes());
    }
    return manifest.validate(file);
  }

  /** Writes the manifest into {@code dir}, replacing any older one. */
  public void write(FileSystem fs, Path dir) throws IOException {
    try (OutputStream out = fs.create(pathIn(dir), true)) {
      JSON.writeValue(out, this);
    }
  }

  public Block block(int number) {
    Objects.checkIndex(number, blocks.size());
    return blocks.get(number);
  }

  /**
   * The block holding global image {@code id}, which must be 0 to {@code images - 1}. Blocks
   * are contiguous and in image order ({@link #validate}), so a binary search finds it.
   */
  public Block blockOfImage(long id) {
    Objects.checkIndex(id, images);
    int low = 0;
    int high = blocks.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (blocks.get(mid).firstImage() <= id) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return blocks.get(low);
  }
}

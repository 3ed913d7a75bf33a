package org.tinytags.classify;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.Sha256;

/**
 * {@code _classify.json} of a classify output: what its rows were made from. The index job
 * copies it into every document, so a Solr collection can say which split, forest and threshold
 * it holds, and go-live can refuse to mix splits. (Hive and Hue skip files named {@code _*}.)
 * The JSON keys are a published contract: extend, never rename.
 *
 * @param blocks the split's directory, as given to classify
 * @param splitSha256 SHA-256 of the split's {@code _manifest.json}
 * @param splitBlocks number of blocks in the split
 * @param forestSha256 SHA-256 of the forest that tagged the rows
 * @param minAgreement the threshold that marked rows tagged
 */
public record ClassifyManifest(String blocks, String splitSha256, int splitBlocks,
    String forestSha256, double minAgreement) {

  public static final String FILE_NAME = "_classify.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** SHA-256 of the {@code _manifest.json} in {@code blocksDir}: which split a row belongs to. */
  public static String splitSha256(FileSystem fs, Path blocksDir) throws IOException {
    try (InputStream in = fs.open(BlockManifest.pathIn(blocksDir))) {
      return Sha256.of(in.readAllBytes());
    }
  }

  /** The manifest in {@code classified}, or null if there is none. */
  public static ClassifyManifest readIfPresent(FileSystem fs, Path classified)
      throws IOException {
    Path file = new Path(classified, FILE_NAME);
    if (!fs.exists(file)) {
      return null;
    }
    try (InputStream in = fs.open(file)) {
      ClassifyManifest manifest = JSON.readValue(in, ClassifyManifest.class);
      if (manifest.splitSha256() == null || manifest.forestSha256() == null) {
        throw new IOException(file + ": not a classify manifest (no \"splitSha256\" or "
            + "\"forestSha256\")");
      }
      return manifest;
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a readable classify manifest: "
          + e.getOriginalMessage(), e);
    }
  }

  public static ClassifyManifest read(FileSystem fs, Path classified) throws IOException {
    ClassifyManifest manifest = readIfPresent(fs, classified);
    if (manifest == null) {
      throw new FileNotFoundException("no " + FILE_NAME + " in " + classified + ": is this the "
          + "output of 'tinytags classify'? (outputs of TinyTags before 0.1 lack it: run "
          + "classify again)");
    }
    return manifest;
  }

  /**
   * Why rows made now may not join an output made with {@code earlier}, or null if they may: a
   * partial run must use the split, forest and threshold of the rows it sits beside.
   */
  public String mismatch(ClassifyManifest earlier) {
    if (!splitSha256.equals(earlier.splitSha256())) {
      return "the split differs (manifest SHA-256 " + splitSha256 + ", the output's "
          + earlier.splitSha256() + ")";
    }
    if (!forestSha256.equals(earlier.forestSha256())) {
      return "the forest differs (SHA-256 " + forestSha256 + ", the output's "
          + earlier.forestSha256() + ")";
    }
    if (Double.compare(minAgreement, earlier.minAgreement()) != 0) {
      return "the min agreement differs (" + minAgreement + ", the output's "
          + earlier.minAgreement() + ")";
    }
    return null;
  }

  public void write(FileSystem fs, Path classified) throws IOException {
    try (OutputStream out = fs.create(new Path(classified, FILE_NAME), true)) {
      JSON.writeValue(out, this);
    }
  }
}

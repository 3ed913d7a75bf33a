package org.tinytags.classify;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.cli.OutputDirs;
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
 * @param forestSha256 SHA-256 of the forest that tagged the rows of the full run
 * @param minAgreement the threshold that marked them tagged
 * @param blockForests blocks re-run ({@code --only}) with another forest: block → its SHA-256
 * @param blockMinAgreements blocks re-run with another threshold: block → the threshold
 * @param blockRows rows written per block (by block number; {@code validate} checks them
 *     against the split's manifest and the ORC files); empty in outputs from before it
 */
public record ClassifyManifest(String blocks, String splitSha256, int splitBlocks,
    String forestSha256, double minAgreement, Map<Integer, String> blockForests,
    Map<Integer, Double> blockMinAgreements, Map<Integer, Long> blockRows) {

  public static final String FILE_NAME = "_classify.json";

  public ClassifyManifest {
    blockForests = blockForests == null ? Map.of() : new TreeMap<>(blockForests);
    blockMinAgreements = blockMinAgreements == null ? Map.of()
        : new TreeMap<>(blockMinAgreements);
    blockRows = blockRows == null ? Map.of() : new TreeMap<>(blockRows);
  }

  /** A full run's manifest: every block from one forest and threshold. */
  public ClassifyManifest(String blocks, String splitSha256, int splitBlocks, String forestSha256,
      double minAgreement, Map<Integer, Long> blockRows) {
    this(blocks, splitSha256, splitBlocks, forestSha256, minAgreement, null, null, blockRows);
  }

  /** Whether every block's rows come from this manifest's forest and threshold. */
  public boolean uniform() {
    return blockForests.isEmpty() && blockMinAgreements.isEmpty();
  }

  /** The forest that tagged {@code block}'s rows. */
  public String forestOf(int block) {
    return blockForests.getOrDefault(block, forestSha256);
  }

  /** The threshold that marked {@code block}'s rows tagged. */
  public double minAgreementOf(int block) {
    return blockMinAgreements.getOrDefault(block, minAgreement);
  }

  /**
   * This manifest after {@code rows} (block → rows written) were re-run with {@code forest} and
   * {@code threshold}: they are recorded as exceptions unless those are the full run's.
   */
  public ClassifyManifest rerun(Map<Integer, Long> rows, String forest, double threshold) {
    Map<Integer, String> forests = new TreeMap<>(blockForests);
    Map<Integer, Double> thresholds = new TreeMap<>(blockMinAgreements);
    Map<Integer, Long> allRows = new TreeMap<>(blockRows);
    allRows.putAll(rows);
    for (int block : rows.keySet()) {
      if (forest.equals(forestSha256)) {
        forests.remove(block);
      } else {
        forests.put(block, forest);
      }
      if (Double.compare(threshold, minAgreement) == 0) {
        thresholds.remove(block);
      } else {
        thresholds.put(block, threshold);
      }
    }
    return new ClassifyManifest(this.blocks, splitSha256, splitBlocks, forestSha256,
        minAgreement, forests, thresholds, allRows);
  }

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

  /** Writes the manifest beside and renames it over the old one, so readers see one whole. */
  public void write(FileSystem fs, Path classified) throws IOException {
    Path file = new Path(classified, FILE_NAME);
    Path next = new Path(classified, FILE_NAME + ".next");
    try (OutputStream out = fs.create(next, true)) {
      JSON.writeValue(out, this);
    }
    OutputDirs.replaceFile(fs, next, file);
  }
}

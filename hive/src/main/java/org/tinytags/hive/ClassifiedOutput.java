package org.tinytags.hive;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.tinytags.classify.TagRow;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;

/**
 * A classify output as the images table will see it: its {@code block=NNNNN/} partitions and the
 * rows each holds (from the ORC footers, without reading the rows). {@link #check} refuses a
 * directory that is not a classify output, or whose partitions disagree with the corpus
 * manifest, before anything is created in Hive.
 *
 * @param dir the classify output, qualified
 * @param rowsByBlock rows per block, in block order
 */
public record ClassifiedOutput(Path dir, SortedMap<Integer, Long> rowsByBlock) {

  public long rows() {
    return rowsByBlock.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Reads {@code dir}'s partitions and checks them: each holds ORC files of classify's schema,
   * and, given the split's {@code manifest}, the partitions are exactly its blocks, each with as
   * many rows as the block has images.
   */
  public static ClassifiedOutput check(FileSystem fs, Path dir, BlockManifest manifest)
      throws IOException {
    Path qualified = fs.makeQualified(dir);
    if (!fs.exists(qualified)) {
      throw new FileNotFoundException(qualified + " does not exist");
    }
    if (!fs.getFileStatus(qualified).isDirectory()) {
      throw new IOException(qualified + " is a file, not a classify output directory");
    }
    SortedMap<Integer, Long> rows = new TreeMap<>();
    List<String> strays = new ArrayList<>();
    for (FileStatus entry : fs.listStatus(qualified)) {
      String name = entry.getPath().getName();
      int block = BlockNames.partitionBlock(name);
      if (block >= 0 && entry.isDirectory()) {
        rows.put(block, partitionRows(fs, entry.getPath()));
      } else if (!name.startsWith("_") && !name.startsWith(".")) {
        strays.add(name);
      }
    }
    if (rows.isEmpty()) {
      throw new IOException(qualified + " is not a classify output: it has no block=NNNNN "
          + "partition directories (write one with 'tinytags classify')");
    }
    if (!strays.isEmpty()) {
      throw new IOException(qualified + " holds " + strays + " beside its block=NNNNN "
          + "partitions: not a classify output as classify writes it");
    }
    if (manifest != null) {
      checkAgainst(qualified, rows, manifest);
    }
    return new ClassifiedOutput(qualified, rows);
  }

  private static long partitionRows(FileSystem fs, Path partition) throws IOException {
    long rows = 0;
    int files = 0;
    for (FileStatus file : fs.listStatus(partition)) {
      String name = file.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      Reader reader;
      try {
        reader = OrcFile.createReader(file.getPath(), OrcFile.readerOptions(fs.getConf())
            .filesystem(fs));
      } catch (IOException e) {
        throw new IOException(file.getPath() + " is not an ORC file of classify's rows: "
            + e.getMessage(), e);
      }
      try (reader) {
        if (!reader.getSchema().equals(TagRow.SCHEMA)) {
          throw new IOException(file.getPath() + " has the ORC schema " + reader.getSchema()
              + ", not classify's " + TagRow.SCHEMA);
        }
        rows += reader.getNumberOfRows();
      }
      files++;
    }
    if (files == 0) {
      throw new IOException(partition + " holds no ORC files");
    }
    return rows;
  }

  private static void checkAgainst(Path dir, SortedMap<Integer, Long> rows,
      BlockManifest manifest) throws IOException {
    TreeSet<Integer> missing = new TreeSet<>();
    for (BlockManifest.Block block : manifest.blocks()) {
      Long found = rows.get(block.block());
      if (found == null) {
        missing.add(block.block());
      } else if (found != block.images()) {
        throw new IOException(new Path(dir, BlockNames.partition(block.block())) + " holds "
            + found + " rows, but block " + block.block() + " of the manifest has "
            + block.images() + " images: classify it again (classify --only "
            + block.block() + ")");
      }
    }
    TreeSet<Integer> extra = new TreeSet<>(rows.keySet());
    extra.removeIf(b -> b < manifest.blocks().size());
    if (!extra.isEmpty()) {
      throw new IOException(dir + " has partitions for blocks " + extra + " that the manifest ("
          + manifest.blocks().size() + " blocks) does not have: is it a classify output of "
          + "another corpus?");
    }
    if (!missing.isEmpty()) {
      throw new IOException(dir + " has no partitions for blocks " + missing + " of the "
          + "manifest: classify them (classify --only " + missing.first() + ", ...)");
    }
  }
}

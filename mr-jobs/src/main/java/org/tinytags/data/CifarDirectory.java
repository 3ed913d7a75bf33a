package org.tinytags.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;

/**
 * A directory holding CIFAR-10's binary batches: either the files themselves or the
 * {@code cifar-10-batches-bin} folder the official archive unpacks to. Opening it checks that
 * every batch is there and holds whole records, so a partial download fails here, by name.
 */
public final class CifarDirectory {
  public static final String ARCHIVE_FOLDER = "cifar-10-batches-bin";
  public static final List<String> TRAIN_BATCHES = List.of("data_batch_1.bin",
      "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  public static final String TEST_BATCH = "test_batch.bin";

  private static final int RECORD_BYTES = ImageLayout.CIFAR.recordBytes();

  private final FileSystem fs;
  private final Path dir;

  private CifarDirectory(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  public static CifarDirectory open(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.isDirectory(dir)) {
      throw new FileNotFoundException("CIFAR-10 directory not found: " + dir
          + " (get it with 'tinytags fetch-cifar --dir " + dir + "')");
    }
    Path nested = new Path(dir, ARCHIVE_FOLDER);
    if (!fs.exists(new Path(dir, TEST_BATCH)) && fs.isDirectory(nested)) {
      dir = nested;
    }
    List<String> missing = new ArrayList<>();
    List<String> all = new ArrayList<>(TRAIN_BATCHES);
    all.add(TEST_BATCH);
    for (String name : all) {
      Path file = new Path(dir, name);
      if (!fs.exists(file)) {
        missing.add(name);
        continue;
      }
      long length = fs.getFileStatus(file).getLen();
      if (length == 0 || length % RECORD_BYTES != 0) {
        throw new IOException(String.format("%s: length %d bytes is not a whole number of "
            + "%d-byte CIFAR-10 records: truncated or not a CIFAR-10 binary batch", file, length,
            RECORD_BYTES));
      }
    }
    if (!missing.isEmpty()) {
      throw new FileNotFoundException("CIFAR-10 directory " + dir + " is incomplete: missing "
          + missing + " (get it with 'tinytags fetch-cifar --dir <dir>')");
    }
    return new CifarDirectory(fs, dir);
  }

  /** The directory holding the batch files. */
  public Path dir() {
    return dir;
  }

  public List<Path> trainBatches() {
    return TRAIN_BATCHES.stream().map(name -> new Path(dir, name)).toList();
  }

  public Path testBatch() {
    return new Path(dir, TEST_BATCH);
  }

  /** Reads whole batches into memory (30 MB each), checking every label. */
  public byte[] read(List<Path> batches) throws IOException {
    long total = 0;
    for (Path batch : batches) {
      total += fs.getFileStatus(batch).getLen();
    }
    if (total > Integer.MAX_VALUE) {
      throw new IOException("too many batches to hold in memory: " + total + " bytes");
    }
    byte[] records = new byte[(int) total];
    int at = 0;
    for (Path batch : batches) {
      int length = (int) fs.getFileStatus(batch).getLen();
      try (InputStream in = fs.open(batch)) {
        IOUtils.readFully(in, records, at, length);
      }
      checkLabels(batch, records, at, length);
      at += length;
    }
    return records;
  }

  private static void checkLabels(Path batch, byte[] records, int from, int length)
      throws IOException {
    for (int i = 0; i < length / RECORD_BYTES; i++) {
      CifarClasses.checkLabel(ImageLayout.CIFAR.label(records, from + i * RECORD_BYTES), batch,
          i, (long) i * RECORD_BYTES);
    }
  }
}

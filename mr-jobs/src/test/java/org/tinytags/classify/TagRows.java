package org.tinytags.classify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ListColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;

/** Reads classify's ORC output back, for tests. */
public final class TagRows {
  /** One row as read back; equal to another with the same values, class votes included. */
  public record Row(long imageId, int block, long offset, int label, int votes, int trees,
      double agreement, int[] classVotes, boolean tagged) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Row r && imageId == r.imageId && block == r.block
          && offset == r.offset && label == r.label && votes == r.votes && trees == r.trees
          && Double.compare(agreement, r.agreement) == 0
          && java.util.Arrays.equals(classVotes, r.classVotes) && tagged == r.tagged;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(imageId) * 31 + java.util.Arrays.hashCode(classVotes);
    }

    @Override
    public String toString() {
      return "Row[" + imageId + " block " + block + " @" + offset + ": " + label + " "
          + java.util.Arrays.toString(classVotes) + (tagged ? " tagged]" : "]");
    }
  }

  private TagRows() {}

  /** Every row under {@code dir} (all partitions), in partition then file order. */
  public static List<Row> read(FileSystem fs, Path dir) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus partition : fs.listStatus(dir, p -> p.getName().startsWith("block="))) {
      for (FileStatus file : fs.listStatus(partition.getPath(),
          p -> p.getName().endsWith(".orc"))) {
        files.add(file);
      }
    }
    files.sort((a, b) -> a.getPath().compareTo(b.getPath()));
    for (FileStatus file : files) {
      rows.addAll(readFile(fs.getConf() == null ? new Configuration() : fs.getConf(),
          file.getPath()));
    }
    return rows;
  }

  static List<Row> readFile(Configuration conf, Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    Reader reader = OrcFile.createReader(file, OrcFile.readerOptions(conf));
    VectorizedRowBatch batch = reader.getSchema().createRowBatch();
    try (RecordReader records = reader.rows()) {
      while (records.nextBatch(batch)) {
        LongColumnVector ids = (LongColumnVector) batch.cols[0];
        LongColumnVector blocks = (LongColumnVector) batch.cols[1];
        LongColumnVector offsets = (LongColumnVector) batch.cols[2];
        LongColumnVector labels = (LongColumnVector) batch.cols[3];
        LongColumnVector votes = (LongColumnVector) batch.cols[4];
        LongColumnVector trees = (LongColumnVector) batch.cols[5];
        DoubleColumnVector agreement = (DoubleColumnVector) batch.cols[6];
        ListColumnVector classVotes = (ListColumnVector) batch.cols[7];
        LongColumnVector classVoteValues = (LongColumnVector) classVotes.child;
        LongColumnVector tagged = (LongColumnVector) batch.cols[8];
        for (int r = 0; r < batch.size; r++) {
          int[] perClass = new int[(int) classVotes.lengths[r]];
          for (int i = 0; i < perClass.length; i++) {
            perClass[i] = (int) classVoteValues.vector[(int) classVotes.offsets[r] + i];
          }
          rows.add(new Row(ids.vector[r], (int) blocks.vector[r], offsets.vector[r],
              (int) labels.vector[r], (int) votes.vector[r], (int) trees.vector[r],
              agreement.vector[r], perClass, tagged.vector[r] == 1));
        }
      }
    }
    return rows;
  }

}

package org.tinytags.benchmark;

import java.io.IOException;
import java.util.SplittableRandom;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.orc.OrcFile;
import org.apache.orc.Writer;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcMapreduceRecordWriter;
import org.tinytags.classify.ClassifyManifest;
import org.tinytags.classify.TagRow;
import org.tinytags.io.Sha256;
import org.tinytags.image.CifarClasses;
import org.tinytags.io.BlockNames;

/**
 * The input generator of {@code bench search}: writes classify-shaped output (ORC rows under
 * {@code block=NNNNN/}, and a {@code _classify.json} naming a made-up split and forest) with
 * seeded random votes, so the index and search benchmarks can run on millions of images without
 * classifying them. It stays in the product because that command uses it; tests use it too, for
 * the same reason. The votes look like a forest's: one class leads with 10-95 % of the trees
 * (most often few), the rest spread thin.
 */
public final class SyntheticTags {
  private SyntheticTags() {}

  /**
   * Writes rows for images {@code 0..images-1}, {@code imagesPerBlock} to a block, records of
   * {@code recordBytes}; rows with at least {@code minAgreement} of {@code trees} are tagged.
   */
  public static void write(Configuration conf, Path output, long images, long imagesPerBlock,
      int recordBytes, int trees, double minAgreement, long seed) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    SplittableRandom random = new SplittableRandom(seed);
    OrcStruct row = TagRow.newRow();
    int[] votes = new int[CifarClasses.COUNT];
    int blocks = (int) ((images + imagesPerBlock - 1) / imagesPerBlock);
    java.util.Map<Integer, Long> blockRows = new java.util.TreeMap<>();
    for (int block = 0; block < blocks; block++) {
      Path file = new Path(new Path(output, BlockNames.partition(block)),
          String.format("part-%05d.orc", block));
      Writer writer = OrcFile.createWriter(file,
          OrcFile.writerOptions(conf).setSchema(TagRow.SCHEMA).fileSystem(fs).overwrite(true));
      OrcMapreduceRecordWriter<OrcStruct> rows = new OrcMapreduceRecordWriter<>(writer);
      long first = block * imagesPerBlock;
      long last = Math.min(images, first + imagesPerBlock);
      blockRows.put(block, last - first);
      for (long id = first; id < last; id++) {
        randomVotes(random, trees, votes);
        TagRow.set(row, id, block, (id - first) * recordBytes, votes, trees, minAgreement);
        rows.write(NullWritable.get(), row);
      }
      rows.close(null);
    }
    // Lineage as classify records it: a made-up split of these block sizes and forest.
    new ClassifyManifest("synthetic:" + images + "/" + imagesPerBlock,
        Sha256.of(("synthetic split " + images + " " + imagesPerBlock + " " + recordBytes)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), blocks,
        Sha256.of(("synthetic forest " + trees + " " + seed)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), minAgreement, blockRows)
        .write(fs, output);
  }

  private static void randomVotes(SplittableRandom random, int trees, int[] votes) {
    java.util.Arrays.fill(votes, 0);
    int leader = random.nextInt(CifarClasses.COUNT);
    int lead = Math.max(1, (int) Math.round(trees * (0.10 + 0.85 * Math.pow(random.nextDouble(), 2))));
    votes[leader] = lead;
    for (int left = trees - lead; left > 0; left--) {
      int other = random.nextInt(CifarClasses.COUNT);
      // Never let another class overtake the leader: the winner stays the one drawn.
      votes[votes[other] + 1 >= lead && other != leader ? leader : other]++;
    }
  }
}

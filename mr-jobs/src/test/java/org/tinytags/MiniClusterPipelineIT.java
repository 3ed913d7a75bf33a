package org.tinytags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tinytags.classify.TagRows;
import org.tinytags.data.CifarDirectory;
import org.tinytags.evaluate.EvaluateJob;
import org.tinytags.io.BlockManifest;
import org.tinytags.train.ForestModel;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.MiniHadoopCluster;
import org.tinytags.testing.TestCifar;

/**
 * The pipeline's jobs on real HDFS and YARN, shipped to the containers in the job jar Maven
 * built. One cluster serves every test here: starting one costs 20-40 s.
 */
class MiniClusterPipelineIT {
  @RegisterExtension
  static final MiniHadoopCluster CLUSTER = new MiniHadoopCluster();

  private static String sha256(FileSystem fs, List<Path> files) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Path file : files) {
      try (InputStream in = new DigestInputStream(fs.open(file), digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Test
  void splitsACorpusInHdfsOnYarn() throws Exception {
    Configuration conf = CLUSTER.conf();
    assertEquals("yarn", conf.get("mapreduce.framework.name"));
    FileSystem fs = CLUSTER.fs();
    Path corpus = fs.makeQualified(new Path("/corpora/tiny-10k.bin"));
    Run make = LocalHadoop.tinytags(conf, "make-corpus", "--cifar",
        TestCifar.dir().toUri().toString(), "--images", "10000", "--output", corpus.toString());
    assertEquals(0, make.status(), make.err());

    Path blocks = new Path("/corpora/tiny-10k-blocks");
    Run split = LocalHadoop.tinytags(conf, "split", "--input", corpus.toString(), "--layout",
        "tiny", "--images-per-block", "3000", "--output", blocks.toString());
    assertEquals(0, split.status(), split.err());

    BlockManifest manifest = BlockManifest.read(fs, blocks);
    assertEquals(List.of(3000L, 3000L, 3000L, 1000L),
        manifest.blocks().stream().map(BlockManifest.Block::images).toList());
    List<Path> files = manifest.blocks().stream().map(b -> new Path(blocks, b.file())).toList();
    for (BlockManifest.Block block : manifest.blocks()) {
      assertEquals(block.sha256(), sha256(fs, List.of(new Path(blocks, block.file()))));
    }
    assertEquals(sha256(fs, List.of(corpus)), sha256(fs, files));
    assertTrue(fs.exists(new Path(blocks, "_SUCCESS")));
  }

  /** A CIFAR-10 directory in HDFS holding the first {@code records} records of each batch. */
  private static Path smallCifarInHdfs(FileSystem fs, int records) throws Exception {
    Path dir = new Path("/cifar-small");
    for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", CifarDirectory.TEST_BATCH)) {
      byte[] all = java.nio.file.Files.readAllBytes(TestCifar.dir().resolve(name));
      try (var out = fs.create(new Path(dir, name), true)) {
        out.write(all, 0, records * 3073);
      }
    }
    return fs.makeQualified(dir);
  }

  @Test
  void trainsAForestOnYarnAndEvaluatesIt() throws Exception {
    Configuration conf = CLUSTER.conf();
    FileSystem fs = CLUSTER.fs();
    Path cifar = smallCifarInHdfs(fs, 400);
    Path model = new Path("/models/small");
    Run train = LocalHadoop.tinytags(conf, "train", "--cifar", cifar.toString(), "--output",
        model.toString(), "--trees", "4", "--images", "1000");
    assertEquals(0, train.status(), train.err());

    ForestModel loaded = ForestModel.load(fs, model);
    assertEquals(4, loaded.trees());
    assertEquals(1000, loaded.info().trainingImages());

    Run evaluate = LocalHadoop.tinytags(conf, "evaluate", "--model", model.toString(), "--cifar",
        cifar.toString());
    assertEquals(0, evaluate.status(), evaluate.err());
    assertTrue(fs.exists(new Path(model, EvaluateJob.JSON_FILE)));
    assertTrue(fs.exists(new Path(model, EvaluateJob.HTML_FILE)));

    // classify ships the forest from HDFS through the distributed cache to YARN containers.
    Path corpus = new Path("/corpora/test-400.tiny");
    Run make = LocalHadoop.tinytags(conf, "make-corpus", "--cifar", cifar.toString(), "--images",
        "400", "--variation", "none", "--output", corpus.toString());
    assertEquals(0, make.status(), make.err());
    Path blocks = new Path("/corpora/test-400-blocks");
    Run split = LocalHadoop.tinytags(conf, "split", "--input", corpus.toString(), "--layout",
        "tiny", "--images-per-block", "150", "--output", blocks.toString());
    assertEquals(0, split.status(), split.err());
    Path tags = new Path("/tags/test-400");
    Run classify = LocalHadoop.tinytags(conf, "classify", "--model", model.toString(),
        "--blocks", blocks.toString(), "--output", tags.toString());
    assertEquals(0, classify.status(), classify.err());
    List<TagRows.Row> rows = TagRows.read(fs, tags);
    assertEquals(400, rows.size());
    assertEquals(List.of("block=00000", "block=00001", "block=00002"),
        java.util.Arrays.stream(fs.listStatus(tags, p -> p.getName().startsWith("block=")))
            .map(s -> s.getPath().getName()).sorted().toList());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i, rows.get(i).imageId());
      assertEquals(4, rows.get(i).trees());
    }
  }
}

package org.tinytags.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.classify.TagRows;
import org.tinytags.io.BlockManifest;
import org.tinytags.solr.IndexManifest;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

/** The README's first command, small: every stage runs and leaves its output. */
class DemoTest {
  @TempDir
  Path work;

  @Test
  void runsTheChainAndRerunsCleanly() throws Exception {
    String[] args = {"demo", "--cifar", TestCifar.dir().toString(), "--work", work.toString(),
        "--images", "1200", "--images-per-block", "500", "--trees", "3", "--train-images",
        "1500", "--no-serve", "--no-hive"};
    for (int run = 0; run < 2; run++) {
      Run demo = LocalHadoop.tinytags(args);
      assertEquals(0, demo.status(), demo.err());
      assertTrue(demo.out().contains("demo: [6/6] index done"), demo.out());
    }
    FileSystem local = FileSystem.getLocal(new Configuration());
    BlockManifest manifest = BlockManifest.read(local,
        new org.apache.hadoop.fs.Path(work.resolve("blocks").toUri()));
    assertEquals(1200, manifest.images());
    assertEquals(3, manifest.blocks().size());
    assertTrue(Files.exists(work.resolve("model/evaluation.html")));
    var rows = TagRows.read(local, new org.apache.hadoop.fs.Path(work.resolve("tags").toUri()));
    assertEquals(1200, rows.size());
    assertEquals(rows.stream().filter(TagRows.Row::tagged).count(), IndexManifest.read(local,
        new org.apache.hadoop.fs.Path(work.resolve("index").toUri())).documents());
  }
}

package org.tinytags.golive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.classify.TagRows;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.TestSolr;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.IndexFields;
import org.tinytags.solr.SolrHome;

/** go-live and reindex into a real Solr server: replacing blocks never duplicates documents. */
class GoLiveTest {
  @TempDir
  static Path dir;
  static TestSolr solr;
  static SolrClient client;
  static List<TagRows.Row> rows;
  static Path classified;
  static Path index;

  @BeforeAll
  static void indexAndStartSolr() throws Exception {
    classified = dir.resolve("tags");
    var hadoopPath = new org.apache.hadoop.fs.Path(classified.toUri());
    SyntheticTags.write(LocalHadoop.conf(), hadoopPath, 2_000, 400, 3072, 50, 0.42, 11);
    rows = TagRows.read(FileSystem.getLocal(LocalHadoop.conf()), hadoopPath);
    index = dir.resolve("index");
    var run = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        index.toString(), "--shards", "2");
    assertEquals(0, run.status(), run.err());
    solr = new TestSolr(dir.resolve("solr"));
    client = solr.client();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    solr.close();
  }

  static long count(String query) throws Exception {
    return client.query(SolrHome.CORE, new SolrQuery(query).setRows(0)).getResults()
        .getNumFound();
  }

  static long tagged(int block) {
    return rows.stream().filter(r -> r.tagged() && (block < 0 || r.block() == block)).count();
  }

  @Test
  void goLiveTwiceThenReindexKeepsEveryImageOnce() throws Exception {
    var first = LocalHadoop.tinytags("golive", "--index", index.toString(), "--solr", solr.url());
    assertEquals(0, first.status(), first.err());
    assertEquals(tagged(-1), count("*:*"));

    var again = LocalHadoop.tinytags("golive", "--index", index.toString(), "--solr", solr.url());
    assertEquals(0, again.status(), again.err());
    assertTrue(again.err().contains("is live already"), again.err());
    assertEquals(tagged(-1), count("*:*"), "going live again never duplicates");

    // One document read back through Solr: its fields are the row's.
    TagRows.Row row = rows.stream().filter(TagRows.Row::tagged).skip(17).findFirst().orElseThrow();
    SolrDocument doc = client.getById(SolrHome.CORE, Long.toString(row.imageId()));
    assertEquals(row.block(), doc.getFieldValue("block"));
    assertEquals(row.offset(), doc.getFieldValue("offset"));
    assertEquals((int) (100L * row.votes() / row.trees()), doc.getFieldValue("agreement"));
    assertEquals(row.classVotes()[row.label()], doc.getFieldValue(IndexFields.classVotes(row.label())));

    var reindex = LocalHadoop.tinytags("reindex", "--block", "3", "--classified",
        classified.toString(), "--solr", solr.url());
    assertEquals(0, reindex.status(), reindex.err());
    assertEquals(tagged(-1), count("*:*"), "re-indexing a block leaves the counts unchanged");
    assertEquals(tagged(3), count("block:3"));

    // A block re-indexed with a stricter threshold loses exactly its weaker documents.
    var stricter = LocalHadoop.tinytags("reindex", "--block", "3", "--classified",
        classified.toString(), "--solr", solr.url(), "--min-agreement", "0.6");
    assertEquals(0, stricter.status(), stricter.err());
    long strong3 = rows.stream().filter(r -> r.block() == 3 && r.votes() >= 30).count();
    assertEquals(strong3, count("block:3"));
    assertEquals(tagged(-1) - tagged(3) + strong3, count("*:*"));
  }

  /**
   * The local disk under another scheme: a stand-in for HDFS, whose mini cluster (Jetty 9.4)
   * cannot share a JVM with a Solr server (Jetty 10). go-live must copy its shards to local
   * staging before MERGEINDEXES, as it would from HDFS.
   */
  public static class ElsewhereFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {
    @Override
    public java.net.URI getUri() {
      return java.net.URI.create("elsewhere:///");
    }

    @Override
    public String getScheme() {
      return "elsewhere";
    }
  }

  @Test
  void shardsOnAnotherFileSystemAreStagedLocally() throws Exception {
    org.apache.hadoop.conf.Configuration conf = LocalHadoop.conf();
    conf.set("fs.elsewhere.impl", ElsewhereFileSystem.class.getName());
    conf.setBoolean("fs.elsewhere.impl.disable.cache", true);
    Path staging = dir.resolve("staging");
    // An index of its own: a run goes live once (the other tests replace the shared one).
    Path elsewhere = dir.resolve("elsewhere-index");
    var build = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        elsewhere.toString(), "--shards", "2");
    assertEquals(0, build.status(), build.err());
    var run = LocalHadoop.tinytags(conf, "golive", "--index", "elsewhere://" + elsewhere,
        "--solr", solr.url(), "--staging", staging.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(tagged(-1), count("*:*"));
    IndexManifest manifest = IndexManifest.read(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(elsewhere.toUri()));
    for (IndexManifest.Shard shard : manifest.shards()) {
      assertTrue(java.nio.file.Files.isDirectory(staging.resolve(shard.dir())), shard.dir());
    }
  }

  @Test
  void aShardThatFailsToMergeChangesNothingEvenAfterAnotherCommit() throws Exception {
    Path fresh = dir.resolve("fresh");
    var build = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        fresh.toString(), "--shards", "2", "--go-live", "--solr", solr.url());
    assertEquals(0, build.status(), build.err());
    long before = count("*:*");
    assertEquals(tagged(-1), before);
    // A fresh index whose second shard's commit point is cut short: Solr fails reading it,
    // after the first shard has merged.
    Path broken = dir.resolve("broken");
    var run = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        broken.toString(), "--shards", "2");
    assertEquals(0, run.status(), run.err());
    try (var files = java.nio.file.Files.list(broken.resolve("shard-00001"))) {
      Path segments = files.filter(f -> f.getFileName().toString().startsWith("segments_"))
          .findFirst().orElseThrow();
      java.nio.file.Files.write(segments, new byte[] {0x3f, (byte) 0xd7});
    }
    var failed = LocalHadoop.tinytags("golive", "--index", broken.toString(), "--solr",
        solr.url());
    assertNotEquals(0, failed.status());
    assertTrue(failed.err().contains("failed, nothing changed (" + before + " documents"),
        failed.err());
    assertTrue(failed.err().contains("shard-00001"), failed.err());

    // Another go-live commits; the blocks searchable before still are, with the same counts.
    var reindex = LocalHadoop.tinytags("reindex", "--block", "3", "--classified",
        classified.toString(), "--solr", solr.url());
    assertEquals(0, reindex.status(), reindex.err());
    assertEquals(before, count("*:*"));
    for (int block = 0; block < 5; block++) {
      assertEquals(tagged(block), count("block:" + block), "block " + block);
    }
  }

  /** What a go-live killed after its merges leaves behind: the shards merged, nothing deleted. */
  static void mergeOnly(Path index) throws Exception {
    for (String shard : List.of("shard-00000", "shard-00001")) {
      var merge = new org.apache.solr.client.solrj.request.CoreAdminRequest.MergeIndexes();
      merge.setCoreName(SolrHome.CORE);
      merge.setIndexDirs(List.of(index.resolve(shard).toString()));
      merge.process(client);
    }
  }

  @Test
  void aGoLiveCutOffAfterItsMergesIsCompletedByTheNextNeverDuplicated() throws Exception {
    Path live = dir.resolve("live");
    var build = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        live.toString(), "--shards", "2", "--go-live", "--solr", solr.url());
    assertEquals(0, build.status(), build.err());

    // Cut off before anyone committed: the pending copies go, the new merges stay.
    Path pending = dir.resolve("pending");
    var again = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        pending.toString(), "--shards", "2");
    assertEquals(0, again.status(), again.err());
    mergeOnly(pending);
    var rerun = LocalHadoop.tinytags("golive", "--index", pending.toString(), "--solr",
        solr.url());
    assertEquals(0, rerun.status(), rerun.err());
    assertEquals(tagged(-1), count("*:*"));

    // Cut off, then someone else committed: both runs are searchable; going live finishes it.
    Path committed = dir.resolve("committed");
    var third = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        committed.toString(), "--shards", "2");
    assertEquals(0, third.status(), third.err());
    mergeOnly(committed);
    client.commit(SolrHome.CORE);
    assertEquals(2 * tagged(-1), count("*:*"), "the cut-off go-live left both runs live");
    var finish = LocalHadoop.tinytags("golive", "--index", committed.toString(), "--solr",
        solr.url());
    assertEquals(0, finish.status(), finish.err());
    assertEquals(tagged(-1), count("*:*"));
    for (int block = 0; block < 5; block++) {
      assertEquals(tagged(block), count("block:" + block), "block " + block);
    }
  }

  @Test
  void anIndexOfAnOlderVersionWithUnsortedShardsIsRefusedNamingIt() throws Exception {
    long before = count("*:*");
    Path older = dir.resolve("older");
    org.apache.commons.io.FileUtils.copyDirectory(index.toFile(), older.toFile());
    Path manifest = older.resolve("_index.json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(manifest.toFile());
    tree.remove("indexSort");
    json.writeValue(manifest.toFile(), tree);
    java.nio.file.Files.deleteIfExists(older.resolve("._index.json.crc"));
    var refused = LocalHadoop.tinytags("golive", "--index", older.toString(), "--solr",
        solr.url());
    assertNotEquals(0, refused.status());
    assertTrue(refused.err().contains(manifest + ": an index built by an older TinyTags")
        && refused.err().contains("run index again"), refused.err());
    assertEquals(before, count("*:*"));
  }

  @Test
  void missingIndexOrSolrFailsClearly() {
    var noIndex = LocalHadoop.tinytags("golive", "--index", dir.resolve("none").toString(),
        "--solr", solr.url());
    assertNotEquals(0, noIndex.status());
    assertTrue(noIndex.err().contains("no _index.json"), noIndex.err());
    var noSolr = LocalHadoop.tinytags("golive", "--index", index.toString(), "--solr",
        "http://127.0.0.1:1/solr");
    assertNotEquals(0, noSolr.status());
    assertTrue(noSolr.err().contains("127.0.0.1:1"), noSolr.err());
  }
}

package org.tinytags.golive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FileSystem;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.classify.TagRows;
import org.tinytags.solr.CollectionAdmin;
import org.tinytags.solr.IndexLineage;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.SolrClients;
import org.tinytags.solr.SolrTarget;
import org.tinytags.testing.LocalHadoop;

/**
 * Go-live into a real SolrCloud (two nodes on an embedded ZooKeeper, two shards of two
 * replicas): every shard lands on every replica of its own collection shard, real-time get finds
 * every document, and a failed go-live changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCloudGoLiveTest {
  static final String COLLECTION = "images";
  @TempDir
  static Path dir;
  static MiniSolrCloudCluster cluster;
  static String zk;
  static Path allowed;
  static Path classified;
  static List<TagRows.Row> rows;
  static SolrClient client;
  static String previousAllowPaths;

  @BeforeAll
  static void startCloud() throws Exception {
    allowed = Files.createDirectories(dir.resolve("allowed"));
    classified = allowed.resolve("tags");
    var hadoopPath = new org.apache.hadoop.fs.Path(classified.toUri());
    SyntheticTags.write(LocalHadoop.conf(), hadoopPath, 2_000, 400, 3072, 50, 0.42, 11);
    rows = TagRows.read(FileSystem.getLocal(LocalHadoop.conf()), hadoopPath);
    // MERGEINDEXES may read the indexes under allowed/ only: the injected failure goes outside.
    // (Kept for the class: a node restarted later reads it again.)
    previousAllowPaths = System.getProperty("solr.allowPaths");
    System.setProperty("solr.allowPaths", allowed.toString());
    cluster = new MiniSolrCloudCluster.Builder(2, dir.resolve("cloud"))
        .withSolrXml(org.tinytags.solr.SolrHome.CLOUD_SOLR_XML)
        .build();
    zk = cluster.getZkServer().getZkAddress();
    var create = LocalHadoop.tinytags("solr", "create", "--zk", zk, "--collection", COLLECTION,
        "--shards", "2", "--replicas", "2");
    assertEquals(0, create.status(), create.err());
    client = SolrClients.http(cluster.getJettySolrRunner(0).getBaseUrl().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
    if (previousAllowPaths == null) {
      System.clearProperty("solr.allowPaths");
    } else {
      System.setProperty("solr.allowPaths", previousAllowPaths);
    }
  }

  static long count(String query) throws Exception {
    return client.query(COLLECTION, new SolrQuery(query).setRows(0)).getResults().getNumFound();
  }

  static long tagged(int block) {
    return rows.stream().filter(r -> r.tagged() && (block < 0 || r.block() == block)).count();
  }

  /** Documents per block, as the collection answers. */
  static Map<Integer, Long> perBlock() throws Exception {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int block = 0; block < 5; block++) {
      counts.put(block, count("block:" + block));
    }
    return counts;
  }

  static Map<Integer, Long> taggedPerBlock() {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int block = 0; block < 5; block++) {
      counts.put(block, tagged(block));
    }
    return counts;
  }

  /** Each replica's own count ({@code distrib=false}), by core name. */
  static Map<String, Long> perReplica() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (SolrTarget target = SolrTarget.cloud(zk, COLLECTION)) {
      for (SolrTarget.Shard shard : target.shards()) {
        for (SolrTarget.Core core : shard.cores()) {
          SolrQuery query = new SolrQuery("*:*").setRows(0);
          query.set(CommonParams.DISTRIB, false);
          counts.put(shard.name() + "/" + core.core(), target.node(core.baseUrl())
              .query(core.core(), query).getResults().getNumFound());
        }
      }
    }
    return counts;
  }

  static Path index(String name, String... more) {
    Path out = allowed.resolve(name);
    List<String> args = new java.util.ArrayList<>(List.of("index", "--classified",
        classified.toString(), "--output", out.toString(), "--zk", zk, "--collection",
        COLLECTION, "--overwrite"));
    args.addAll(List.of(more));
    var run = LocalHadoop.tinytags(args.toArray(new String[0]));
    assertEquals(0, run.status(), run.err());
    return out;
  }

  @Test
  @Order(1)
  void shardsGoLiveOnEveryReplicaAndRealTimeGetFindsEveryDocument() throws Exception {
    Path index = index("index");
    IndexManifest manifest = IndexManifest.read(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(index.toUri()));
    assertEquals(IndexManifest.BY_HASH, manifest.routing());
    assertEquals(List.of("shard1", "shard2"),
        manifest.shards().stream().map(IndexManifest.Shard::name).toList());

    var live = LocalHadoop.tinytags("golive", "--index", index.toString(), "--zk", zk,
        "--collection", COLLECTION);
    assertEquals(0, live.status(), live.err());
    assertEquals(taggedPerBlock(), perBlock());
    // Each replica holds exactly its shard's documents; the two copies agree.
    Map<String, Long> replicas = perReplica();
    assertEquals(4, replicas.size(), replicas.toString());
    for (IndexManifest.Shard shard : manifest.shards()) {
      List<Long> copies = replicas.entrySet().stream()
          .filter(e -> e.getKey().startsWith(shard.name() + "/")).map(Map.Entry::getValue)
          .toList();
      assertEquals(List.of(shard.documents(), shard.documents()), copies, shard.name());
    }
    // Real-time get, no shards parameter: every tagged image is found where the router looks.
    List<String> ids = rows.stream().filter(TagRows.Row::tagged)
        .map(r -> Long.toString(r.imageId())).toList();
    SolrDocumentList found = client.getById(COLLECTION, ids);
    assertEquals(ids.size(), found.size());

    // Going live again with the same run changes nothing.
    var again = LocalHadoop.tinytags("golive", "--index", index.toString(), "--zk", zk,
        "--collection", COLLECTION);
    assertEquals(0, again.status(), again.err());
    assertTrue(again.err().contains("live already"), again.err());
    assertEquals(tagged(-1), count("*:*"));
  }

  @Test
  @Order(2)
  void reindexReplacesABlockWithoutDuplicatesAndReplicasAgreeAfterARestart() throws Exception {
    var reindex = LocalHadoop.tinytags("reindex", "--block", "3", "--classified",
        classified.toString(), "--zk", zk, "--collection", COLLECTION, "--min-agreement", "0.6", "--work",
        allowed.resolve("reindex-3").toString());
    assertEquals(0, reindex.status(), reindex.err());
    long strong3 = rows.stream().filter(r -> r.block() == 3 && r.votes() >= 30).count();
    assertEquals(strong3, count("block:3"));
    assertEquals(tagged(-1) - tagged(3) + strong3, count("*:*"));

    // The lineage says which runs hold which blocks.
    try (SolrTarget target = SolrTarget.cloud(zk, COLLECTION)) {
      IndexLineage lineage = IndexLineage.read(target);
      assertEquals(2, lineage.runs().size(), lineage.toString());
      IndexLineage.Run stricter = lineage.runs().stream()
          .filter(r -> r.blocks().keySet().equals(java.util.Set.of(3))).findFirst().orElseThrow();
      assertEquals(List.of(0.6), stricter.minAgreements());
      assertTrue(lineage.mixedBlocks().isEmpty());
      assertEquals(1, lineage.splits().size());
    }

    Map<String, Long> before = perReplica();
    JettySolrRunner node = cluster.stopJettySolrRunner(1);
    cluster.waitForJettyToStop(node);
    cluster.startJettySolrRunner(node);
    cluster.waitForActiveCollection(COLLECTION, 60, TimeUnit.SECONDS, 2, 4);
    assertEquals(before, perReplica(), "every replica comes back with what it held");
  }

  @Test
  @Order(3)
  void aFailedMergeChangesNothingEvenAfterAnotherCommit() throws Exception {
    Map<Integer, Long> live = perBlock();
    Map<String, Long> replicas = perReplica();
    // An index Solr may not read (outside solr.allowPaths): its second shard fails to merge
    // after the first has merged.
    Path built = index("index-2");
    Path outside = dir.resolve("outside");
    org.apache.commons.io.FileUtils.copyDirectory(built.resolve("shard-00001").toFile(),
        outside.resolve("shard-00001").toFile());
    var local = FileSystem.getLocal(LocalHadoop.conf());
    var builtDir = new org.apache.hadoop.fs.Path(built.toUri());
    IndexManifest manifest = IndexManifest.read(local, builtDir);
    List<IndexManifest.Shard> shards = new java.util.ArrayList<>(manifest.shards());
    IndexManifest.Shard second = shards.get(1);
    shards.set(1, new IndexManifest.Shard(second.shard(), "../../outside/shard-00001",
        second.documents(), second.buildMillis(), second.name(), second.range()));
    Path mixed = allowed.resolve("index-mixed");
    Files.createDirectories(mixed);
    manifest.withShards(shards).write(local, new org.apache.hadoop.fs.Path(mixed.toUri()));
    org.apache.commons.io.FileUtils.copyDirectory(built.resolve("shard-00000").toFile(),
        mixed.resolve("shard-00000").toFile());

    var failed = LocalHadoop.tinytags("golive", "--index", mixed.toString(), "--zk", zk,
        "--collection", COLLECTION);
    assertNotEquals(0, failed.status());
    assertTrue(failed.err().contains("failed, nothing changed"), failed.err());
    assertTrue(failed.err().contains("shard-00001"), failed.err());

    // Another go-live commits: what was searchable before still is, with the same counts.
    var other = LocalHadoop.tinytags("reindex", "--block", "1", "--classified",
        classified.toString(), "--zk", zk, "--collection", COLLECTION, "--work",
        allowed.resolve("reindex-1").toString());
    assertEquals(0, other.status(), other.err());
    assertEquals(live, perBlock());
    assertEquals(replicas, perReplica());
  }

  @Test
  @Order(4)
  void anIndexForOtherShardsOrAnotherSplitIsRefusedBeforeAnythingChanges() throws Exception {
    long before = count("*:*");
    // A standalone index (shards by block) cannot go into a hash-routed collection.
    Path byBlock = allowed.resolve("by-block");
    var standalone = LocalHadoop.tinytags("index", "--classified", classified.toString(),
        "--output", byBlock.toString(), "--shards", "2");
    assertEquals(0, standalone.status(), standalone.err());
    var refused = LocalHadoop.tinytags("golive", "--index", byBlock.toString(), "--zk", zk,
        "--collection", COLLECTION);
    assertNotEquals(0, refused.status());
    assertTrue(refused.err().contains("built for a standalone core"), refused.err());

    // --shards must match the collection.
    var wrongShards = LocalHadoop.tinytags("index", "--classified", classified.toString(),
        "--output", allowed.resolve("three").toString(), "--zk", zk, "--collection",
        COLLECTION, "--shards", "3");
    assertNotEquals(0, wrongShards.status());
    assertTrue(wrongShards.err().contains("has 2 shards"), wrongShards.err());

    // A partial go-live of another split (other block sizes) is refused.
    Path otherTags = allowed.resolve("other-tags");
    SyntheticTags.write(LocalHadoop.conf(), new org.apache.hadoop.fs.Path(otherTags.toUri()),
        2_000, 500, 3072, 50, 0.42, 12);
    var otherSplit = LocalHadoop.tinytags("reindex", "--block", "1", "--classified",
        otherTags.toString(), "--zk", zk, "--collection", COLLECTION, "--work",
        allowed.resolve("reindex-other").toString());
    assertNotEquals(0, otherSplit.status());
    assertTrue(otherSplit.err().contains("documents of another split"), otherSplit.err());
    assertTrue(otherSplit.err().contains("holds 1 of its 4 blocks"), otherSplit.err());
    assertEquals(before, count("*:*"));
  }

  @Test
  @Order(5)
  void dryRunPrintsDocumentsWithTheirShardAndBuildsNothing() {
    Path out = allowed.resolve("dry");
    var dry = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        out.toString(), "--zk", zk, "--collection", COLLECTION, "--dry-run");
    assertEquals(0, dry.status(), dry.err());
    List<String> lines = dry.out().lines().toList();
    assertEquals(10, lines.size(), dry.out());
    TagRows.Row first = rows.stream().filter(TagRows.Row::tagged).findFirst().orElseThrow();
    assertTrue(lines.get(0).matches("shard-0000[01] \\{\"id\":\"" + first.imageId() + "\",.*"),
        lines.get(0));
    assertTrue(lines.get(0).contains("\"index_run\":"), lines.get(0));
    assertTrue(!Files.exists(out), "a dry run builds nothing");
  }

  @Test
  @Order(6)
  void configSetsAreNamedByContentAndACollectionKeepsItsOwn() throws Exception {
    String ours = CollectionAdmin.configSetName();
    assertTrue(ours.matches("tinytags-[0-9a-f]{12}"), ours);
    try (SolrTarget target = SolrTarget.cloud(zk, COLLECTION)) {
      assertEquals(ours, target.configSet());
    }
    // A collection on another configset, as one made by an earlier version would be.
    byte[] zip = org.tinytags.solr.SolrHome.configSetZip();
    var upload = new ConfigSetAdminRequest.Upload().setConfigSetName("tinytags");
    upload.setUploadStream(new ContentStreamBase.ByteArrayStream(zip, "tinytags.zip",
        "application/octet-stream"));
    upload.process(client);
    var legacyCreate = CollectionAdminRequest.createCollection("legacy", "tinytags", 1, 1);
    legacyCreate.setWaitForFinalState(true);
    legacyCreate.process(client);

    var again = LocalHadoop.tinytags("solr", "create", "--zk", zk, "--collection", COLLECTION,
        "--shards", "2");
    assertEquals(0, again.status(), again.err());
    assertTrue(again.err().contains("exists already with 2 shards, on configset " + ours)
        && !again.err().contains("kept"), again.err());
    var legacy = LocalHadoop.tinytags("solr", "create", "--zk", zk, "--collection", "legacy",
        "--shards", "1");
    assertEquals(0, legacy.status(), legacy.err());
    assertTrue(legacy.err().contains("on configset tinytags (kept; this version's is " + ours
        + ", for new collections)"), legacy.err());
    assertEquals(List.of("tinytags", ours), new ConfigSetAdminRequest.List().process(client)
        .getConfigSets().stream().filter(name -> name.startsWith("tinytags")).sorted().toList());
    try (SolrTarget target = SolrTarget.cloud(zk, "legacy")) {
      assertEquals("tinytags", target.configSet());
    }
  }
}

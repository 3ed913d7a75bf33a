package org.tinytags.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.classify.ClassifyManifest;
import org.tinytags.classify.TagRows;
import org.tinytags.image.CifarClasses;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.IndexFields;

/** The index job on the local job runner, with real Solr shards read back through Lucene. */
class IndexJobTest {
  private static final int IMAGES = 3_000;
  private static final int PER_BLOCK = 500;

  @TempDir
  static Path dir;
  static Path classified;
  static List<TagRows.Row> rows;

  @BeforeAll
  static void writeRows() throws IOException {
    classified = dir.resolve("tags");
    Configuration conf = LocalHadoop.conf();
    SyntheticTags.write(conf, new org.apache.hadoop.fs.Path(classified.toUri()), IMAGES,
        PER_BLOCK, 3072, 100, 0.42, 7);
    rows = TagRows.read(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(classified.toUri()));
  }

  /** What one shard holds: image id → (block, label, agreement, offset). */
  record Doc(int block, String label, int agreement, long offset, int votesOfLabel) {}

  /** Also checks that the shard's documents are in the search page's order, as its segment says. */
  static Map<Long, Doc> readShard(Path shard) throws IOException {
    Map<Long, Doc> docs = new HashMap<>();
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(shard))) {
      assertTrue(reader.leaves().size() <= 1, "a shard is merged to one segment");
      for (var leaf : reader.leaves()) {
        LeafReader r = leaf.reader();
        assertEquals("<int: \"agreement\">!,<long: \"image\">",
            String.valueOf(r.getMetaData().getSort()), "the segment's index sort");
        NumericDocValues images = r.getNumericDocValues(IndexFields.IMAGE);
        long previousAgreement = Long.MAX_VALUE;
        long previousImage = -1;
        SortedDocValues ids = r.getSortedDocValues(IndexFields.ID);
        NumericDocValues blocks = r.getNumericDocValues(IndexFields.BLOCK);
        SortedDocValues labels = r.getSortedDocValues(IndexFields.LABEL);
        NumericDocValues agreement = r.getNumericDocValues(IndexFields.AGREEMENT);
        NumericDocValues offsets = r.getNumericDocValues(IndexFields.OFFSET);
        NumericDocValues votes = r.getNumericDocValues(IndexFields.VOTES);
        for (int doc = 0; doc < r.maxDoc(); doc++) {
          ids.advanceExact(doc);
          blocks.advanceExact(doc);
          labels.advanceExact(doc);
          agreement.advanceExact(doc);
          offsets.advanceExact(doc);
          votes.advanceExact(doc);
          images.advanceExact(doc);
          assertTrue(agreement.longValue() < previousAgreement
              || agreement.longValue() == previousAgreement && images.longValue() > previousImage,
              "document " + doc + " out of order (agreement desc, image asc)");
          previousAgreement = agreement.longValue();
          previousImage = images.longValue();
          long id = Long.parseLong(ids.lookupOrd(ids.ordValue()).utf8ToString());
          Doc previous = docs.put(id, new Doc((int) blocks.longValue(),
              labels.lookupOrd(labels.ordValue()).utf8ToString(), (int) agreement.longValue(),
              offsets.longValue(), (int) votes.longValue()));
          assertEquals(null, previous, "id " + id + " twice in one shard");
        }
      }
    }
    return docs;
  }

  @Test
  void shardsHoldEveryTaggedRowOnceWithBlocksKeptWhole() throws IOException {
    Path out = dir.resolve("index");
    var run = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        out.toString(), "--shards", "2");
    assertEquals(0, run.status(), run.err());

    List<TagRows.Row> tagged = rows.stream().filter(TagRows.Row::tagged).toList();
    assertTrue(tagged.size() > 500 && tagged.size() < IMAGES, "synthetic rows have both kinds");
    IndexManifest manifest = IndexManifest.read(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(out.toUri()));
    assertEquals(tagged.size(), manifest.documents());
    assertEquals(List.of(0, 1, 2, 3, 4, 5), manifest.blocks());
    assertEquals(2, manifest.shards().size());
    assertEquals("agreement desc,image asc", manifest.indexSort());
    // The configset's merge policy sorts segments as searches sort (IndexFields.INDEX_SORT).
    org.tinytags.solr.SolrHome.writeConfigSet(dir.resolve("configset"));
    assertTrue(java.nio.file.Files.readString(dir.resolve("configset/solrconfig.xml")).contains(
        "<str name=\"sort\">" + IndexFields.INDEX_SORT + "</str>"), "solrconfig.xml's sort");

    Map<Long, Doc> all = new HashMap<>();
    Map<Integer, Integer> shardOfBlock = new HashMap<>();
    for (IndexManifest.Shard shard : manifest.shards()) {
      Map<Long, Doc> docs = readShard(out.resolve(shard.dir()));
      assertEquals(shard.documents(), docs.size());
      for (Map.Entry<Long, Doc> e : docs.entrySet()) {
        assertEquals(null, all.put(e.getKey(), e.getValue()), "id in two shards");
        Integer before = shardOfBlock.put(e.getValue().block(), shard.shard());
        assertTrue(before == null || before == shard.shard(), "block split across shards");
      }
    }
    assertEquals(tagged.size(), all.size());
    // The lineage: documents per block, and classify's own manifest.
    Map<Integer, Long> perBlock = new java.util.TreeMap<>();
    tagged.forEach(row -> perBlock.merge(row.block(), 1L, Long::sum));
    assertEquals(perBlock, manifest.blockDocuments());
    assertEquals(ClassifyManifest.read(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(classified.toUri())), manifest.classify());
    assertFalse(java.nio.file.Files.exists(out.resolve("_shards")), "gathered into _index.json");
    for (TagRows.Row row : tagged) {
      Doc doc = all.get(row.imageId());
      assertEquals(new Doc(row.block(), CifarClasses.name(row.label()),
          (int) (100L * row.votes() / row.trees()), row.offset(), row.votes()), doc);
    }
  }

  @Test
  void minAgreementOverridesTheTagsAndOnlyPicksBlocks() throws IOException {
    Path out = dir.resolve("index-60");
    var run = LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        out.toString(), "--min-agreement", "0.6", "--only", "2,4", "--shards", "3");
    assertEquals(0, run.status(), run.err());
    IndexManifest manifest = IndexManifest.read(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(out.toUri()));
    Set<Long> expected = new HashSet<>();
    for (TagRows.Row row : rows) {
      if ((row.block() == 2 || row.block() == 4) && row.votes() >= 60) {
        expected.add(row.imageId());
      }
    }
    assertEquals(List.of(2, 4), manifest.blocks());
    assertEquals(2, manifest.shards().size(), "no more shards than blocks");
    Set<Long> found = new HashSet<>();
    for (IndexManifest.Shard shard : manifest.shards()) {
      found.addAll(readShard(out.resolve(shard.dir())).keySet());
    }
    assertEquals(expected, found);
    assertEquals(0.6, manifest.minAgreement());
  }

  @Test
  void badInputFailsClearly() {
    var missing = LocalHadoop.tinytags("index", "--classified", dir.resolve("nope").toString(),
        "--output", dir.resolve("x").toString());
    assertNotEquals(0, missing.status());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    var notClassify = LocalHadoop.tinytags("index", "--classified", dir.toString() + "/tags/block=00001",
        "--output", dir.resolve("y").toString());
    assertTrue(notClassify.err().contains("no block=NNNNN partitions"), notClassify.err());
    var badBlock = LocalHadoop.tinytags("index", "--classified", classified.toString(),
        "--output", dir.resolve("z").toString(), "--only", "9");
    assertTrue(badBlock.err().contains("block 9 does not exist"), badBlock.err());
  }

  @Test
  void sixtyFourShardsAreRecordedWithoutCounters() throws IOException {
    // Two counters per shard once ran out of mapreduce.job.counters.max (120) near 58 shards.
    Path tags = dir.resolve("tags-64");
    Configuration conf = LocalHadoop.conf();
    SyntheticTags.write(conf, new org.apache.hadoop.fs.Path(tags.toUri()), 640, 10, 3072, 10,
        0.42, 3);
    Path out = dir.resolve("index-64");
    var run = LocalHadoop.tinytags("index", "--classified", tags.toString(), "--output",
        out.toString(), "--shards", "64", "--min-agreement", "0");
    assertEquals(0, run.status(), run.err());
    IndexManifest manifest = IndexManifest.read(FileSystem.getLocal(conf),
        new org.apache.hadoop.fs.Path(out.toUri()));
    assertEquals(64, manifest.shards().size());
    assertEquals(640, manifest.documents());
    for (IndexManifest.Shard shard : manifest.shards()) {
      assertEquals(10, shard.documents(), shard.dir());
    }
    assertEquals(64, manifest.blockDocuments().size());
  }
}

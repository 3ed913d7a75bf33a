package org.tinytags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tinytags.classify.TagRows;
import org.tinytags.data.CifarDirectory;
import org.tinytags.evaluate.EvaluateJob;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.InjectedFault;
import org.tinytags.solr.IndexFields;
import org.tinytags.solr.IndexManifest;
import org.tinytags.split.BlockInputFormat;
import org.tinytags.train.ForestModel;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.MiniHadoopCluster;
import org.tinytags.testing.TestCifar;

/**
 * The pipeline's jobs on real HDFS and YARN, shipped to the containers in the job jar Maven
 * built, and Hadoop's promise kept by every stage: a job's output is as if each task ran once.
 * Each stage runs undisturbed, then again with the first attempt of some of its tasks failing
 * after writing part of its output ({@link InjectedFault}): the job succeeds on the retry, and
 * its output equals the undisturbed run's, byte for byte or row for row. Speculative execution
 * is on (Hadoop's default, set here explicitly), and in classify and index a stalled attempt of
 * another task makes the speculator race a second one against it. A block whose HDFS replica is
 * corrupt fails classify with the read error, not with advice to split the corpus again. One
 * cluster serves every test here: starting one costs 20-40 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MiniClusterPipelineIT {
  @RegisterExtension
  static final MiniHadoopCluster CLUSTER = new MiniHadoopCluster();

  private static final int IMAGES = 3000;
  private static final int IMAGES_PER_BLOCK = 500;
  private static FileSystem fs;
  private static Path corpus;
  private static Path cifar;

  @BeforeAll
  static void corpusAndCifar() throws Exception {
    fs = CLUSTER.fs();
    corpus = fs.makeQualified(new Path("/it/corpus.tiny"));
    Run make = LocalHadoop.tinytags(CLUSTER.conf(), "make-corpus", "--cifar",
        TestCifar.dir().toUri().toString(), "--images", String.valueOf(IMAGES), "--output",
        corpus.toString());
    assertEquals(0, make.status(), make.err());
    cifar = fs.makeQualified(new Path("/it/cifar"));
    for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", CifarDirectory.TEST_BATCH)) {
      byte[] all = Files.readAllBytes(TestCifar.dir().resolve(name));
      try (var out = fs.create(new Path(cifar, name), true)) {
        out.write(all, 0, 300 * 3073);
      }
    }
  }

  /** The cluster's configuration with speculation on, and the fault marks of {@code stage}. */
  private static Configuration conf(String stage) {
    Configuration conf = CLUSTER.conf();
    conf.setBoolean("mapreduce.map.speculative", true);
    conf.setBoolean("mapreduce.reduce.speculative", true);
    conf.set(InjectedFault.MARKS, marks(stage).toString());
    // Three maps of two blocks each for split.
    BlockInputFormat.setTargetSplitBytes(conf, 2L * IMAGES_PER_BLOCK * 3072);
    return conf;
  }

  private static Path marks(String stage) {
    return fs.makeQualified(new Path("/it/marks/" + stage));
  }

  /** With the first attempt of each of {@code tasks} faulting after {@code after} records. */
  private static Configuration faulty(String stage, long after, String... tasks) {
    Configuration conf = conf(stage);
    InjectedFault.set(conf, 1, after, tasks);
    // A stalled attempt the speculator never replaced fails the test well before YARN's timeout.
    conf.setInt(InjectedFault.STALL_SECONDS, 180);
    return conf;
  }

  /** The attempts the fault hook failed or stalled in {@code stage}. */
  private static List<String> faulted(String stage) throws IOException {
    if (!fs.exists(marks(stage))) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(marks(stage))).map(s -> s.getPath().getName())
        .map(name -> name.replaceFirst("^attempt_\\d+_\\d+_", "")).sorted().toList();
  }

  private static Run run(Configuration conf, String... args) {
    Run run = LocalHadoop.tinytags(conf, args);
    assertEquals(0, run.status(), run.err());
    return run;
  }

  /** Counters of the latest YARN job. */
  private static Counters lastJob() throws Exception {
    Cluster cluster = new Cluster(CLUSTER.conf());
    try {
      JobStatus last = Arrays.stream(cluster.getAllJobStatuses())
          .max(Comparator.comparingLong(JobStatus::getStartTime)).orElseThrow();
      return cluster.getJob(last.getJobID()).getCounters();
    } finally {
      cluster.close();
    }
  }

  private static long count(Counters counters, JobCounter counter) {
    return counters.findCounter(counter).getValue();
  }

  private static byte[] bytes(Path file) throws IOException {
    try (var in = fs.open(file)) {
      return in.readAllBytes();
    }
  }

  private static Path split(Configuration conf, String name) {
    Path blocks = fs.makeQualified(new Path("/it/" + name));
    run(conf, "split", "--input", corpus.toString(), "--layout", "tiny", "--images-per-block",
        String.valueOf(IMAGES_PER_BLOCK), "--output", blocks.toString());
    return blocks;
  }

  private static void assertSameSplit(Path expected, Path actual) throws IOException {
    assertArrayEquals(bytes(BlockManifest.pathIn(expected)), bytes(BlockManifest.pathIn(actual)));
    BlockManifest manifest = BlockManifest.read(fs, actual);
    assertEquals(IMAGES / IMAGES_PER_BLOCK, manifest.blocks().size());
    for (BlockManifest.Block block : manifest.blocks()) {
      assertArrayEquals(bytes(new Path(expected, block.file())),
          bytes(new Path(actual, block.file())), block.file());
    }
    assertEquals(names(expected), names(actual));
  }

  private static List<String> names(Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir)).map(s -> s.getPath().getName()).sorted().toList();
  }

  @Test
  @Order(1)
  void splitRetriesAFailedMapAndReducerToTheSameBlocks() throws Exception {
    assertEquals("yarn", CLUSTER.conf().get("mapreduce.framework.name"));
    Path plain = split(conf("split-plain"), "blocks");
    BlockManifest manifest = BlockManifest.read(fs, plain);
    assertEquals(java.util.Collections.nCopies(IMAGES / IMAGES_PER_BLOCK, (long) IMAGES_PER_BLOCK),
        manifest.blocks().stream().map(BlockManifest.Block::images).toList());
    java.security.MessageDigest whole = java.security.MessageDigest.getInstance("SHA-256");
    for (BlockManifest.Block block : manifest.blocks()) {
      byte[] bytes = bytes(new Path(plain, block.file()));
      whole.update(bytes);
      assertEquals(block.sha256(), java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes)), block.file());
    }
    assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(bytes(corpus)),
        whole.digest(), "the blocks are the corpus");
    assertTrue(fs.exists(new Path(plain, "_SUCCESS")));

    // Map 1 (blocks 2 and 3) fails in block 3, after block 2's file and manifest entry; the
    // single reducer fails after writing the manifest (its one record).
    Path retried = split(faulty("split", 700, "map:1", "reduce:0:fail:1"), "blocks-retried");
    assertEquals(List.of("m_000001_0", "r_000000_0"), faulted("split"));
    Counters counters = lastJob();
    assertEquals(1, count(counters, JobCounter.NUM_FAILED_MAPS));
    assertEquals(1, count(counters, JobCounter.NUM_FAILED_REDUCES));
    assertSameSplit(plain, retried);
  }

  @Test
  @Order(2)
  void trainRetriesAFailedMapToTheSameForestAndEvaluates() throws Exception {
    String[] train = {"train", "--cifar", cifar.toString(), "--trees", "4", "--mappers", "2",
        "--images", "1200", "--output"};
    Path plain = fs.makeQualified(new Path("/it/model"));
    run(conf("train-plain"), concat(train, plain.toString()));
    ForestModel model = ForestModel.load(fs, plain);
    assertEquals(4, model.trees());
    assertEquals(1200, model.info().trainingImages());
    run(conf("evaluate"), "evaluate", "--model", plain.toString(), "--cifar", cifar.toString());
    assertTrue(fs.exists(new Path(plain, EvaluateJob.JSON_FILE)));
    assertTrue(fs.exists(new Path(plain, EvaluateJob.HTML_FILE)));

    Path retried = fs.makeQualified(new Path("/it/model-retried"));
    // Map 1 grows trees 2 and 3; it fails after writing tree 2.
    run(faulty("train", 1, "map:1"), concat(train, retried.toString()));
    assertEquals(List.of("m_000001_0"), faulted("train"));
    assertEquals(1, count(lastJob(), JobCounter.NUM_FAILED_MAPS));
    for (String file : List.of("forest.bin", "dataset.json", "labels.json")) {
      assertArrayEquals(bytes(new Path(plain, file)), bytes(new Path(retried, file)), file);
    }
  }

  private static String[] concat(String[] head, String last) {
    String[] all = Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }

  private static List<TagRows.Row> classify(Configuration conf, String output)
      throws IOException {
    Path tags = fs.makeQualified(new Path("/it/" + output));
    run(conf, "classify", "--model", "/it/model", "--blocks", "/it/blocks", "--output",
        tags.toString());
    return TagRows.read(fs, tags);
  }

  private static List<TagRows.Row> plainRows;

  @Test
  @Order(3)
  void classifyRetriesAFailedMapAndOutrunsAStalledOneToTheSameRows() throws Exception {
    // classify ships the forest from HDFS through the distributed cache to YARN containers.
    List<TagRows.Row> plain = classify(conf("classify-plain"), "tags");
    plainRows = plain;
    assertEquals(IMAGES, plain.size());
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(i, plain.get(i).imageId());
      assertEquals(4, plain.get(i).trees());
    }
    assertEquals(List.of("block=00000", "block=00001", "block=00002", "block=00003",
        "block=00004", "block=00005"), names(new Path("/it/tags")).stream()
        .filter(n -> n.startsWith("block=")).toList());
    // Block 2's mapper fails after writing its first 256 rows; block 1's stalls there until the
    // speculator's second attempt has finished the block and the stalled one is killed.
    List<TagRows.Row> retried = classify(faulty("classify", 256, "map:2", "map:1:stall"),
        "tags-retried");
    assertEquals(List.of("m_000001_0", "m_000002_0"), faulted("classify"));
    Counters counters = lastJob();
    assertEquals(1, count(counters, JobCounter.NUM_FAILED_MAPS), "the stall did not time out");
    assertTrue(count(counters, JobCounter.NUM_KILLED_MAPS) >= 1, "a speculative attempt won");
    assertEquals(plain, retried);
    assertArrayEquals(bytes(new Path("/it/tags/_classify.json")),
        bytes(new Path("/it/tags-retried/_classify.json")));
    Run validate = run(conf("validate"), "validate", "--blocks", "/it/blocks", "--classified",
        "/it/tags-retried");
    assertTrue(validate.out().contains("validate: 6 blocks, 3,000 rows in /it/tags-retried "
        + "against /it/blocks: valid"), validate.out());
  }

  /** Every document of every shard, by id, with its stored fields, the run id left out. */
  private static Map<String, Map<String, List<String>>> documents(Path index) throws IOException {
    Map<String, Map<String, List<String>>> documents = new TreeMap<>();
    java.nio.file.Path local = Files.createTempDirectory("faults-shards");
    for (IndexManifest.Shard shard : IndexManifest.read(fs, index).shards()) {
      fs.copyToLocalFile(false, new Path(index, shard.dir()),
          new Path(local.resolve(shard.dir()).toUri()), true);
      try (DirectoryReader reader =
          DirectoryReader.open(FSDirectory.open(local.resolve(shard.dir())))) {
        assertEquals(shard.documents(), reader.numDocs(), shard.dir());
        for (int i = 0; i < reader.maxDoc(); i++) {
          Document doc = reader.storedFields().document(i);
          Map<String, List<String>> fields = new TreeMap<>();
          for (IndexableField field : doc.getFields()) {
            if (!field.name().equals(IndexFields.INDEX_RUN)) {
              fields.computeIfAbsent(field.name(), f -> new ArrayList<>())
                  .add(field.stringValue() != null ? field.stringValue()
                      : String.valueOf(field.numericValue()));
            }
          }
          fields.put("_shard", List.of(shard.dir()));
          documents.put(doc.get(IndexFields.ID), fields);
        }
      }
    }
    return documents;
  }

  private static Map<String, Map<String, List<String>>> index(Configuration conf, String output)
      throws IOException {
    Path index = fs.makeQualified(new Path("/it/" + output));
    run(conf, "index", "--classified", "/it/tags", "--output", index.toString(), "--shards",
        "2");
    return documents(index);
  }

  @Test
  @Order(4)
  void indexRetriesAFailedReducerAndOutrunsAStalledOneToTheSameDocuments() throws Exception {
    // Reducers build Solr cores inside their containers and publish the shards in HDFS.
    Map<String, Map<String, List<String>>> plain = index(conf("index-plain"), "index");
    List<String> tagged = plainRows.stream().filter(TagRows.Row::tagged)
        .map(r -> Long.toString(r.imageId())).sorted().toList();
    assertTrue(tagged.size() > 100, tagged.size() + " tagged");
    assertEquals(tagged, List.copyOf(plain.keySet()));
    assertEquals(tagged.size(), IndexManifest.read(fs, new Path("/it/index")).documents());
    // Reducer 1 fails after adding 50 documents to its shard, reducer 0 stalls there.
    var retried = index(faulty("index", 50, "reduce:1", "reduce:0:stall"), "index-retried");
    assertEquals(List.of("r_000000_0", "r_000001_0"), faulted("index"));
    Counters counters = lastJob();
    assertEquals(1, count(counters, JobCounter.NUM_FAILED_REDUCES));
    assertTrue(count(counters, JobCounter.NUM_KILLED_REDUCES) >= 1, "a speculative attempt won");
    assertEquals(plain, retried);
  }

  @Test
  @Order(5)
  void corruptReplicaFailsClassifyWithTheReadError() throws Exception {
    Path blocks = fs.makeQualified(new Path("/it/blocks-corrupt"));
    fs.mkdirs(blocks);
    for (FileStatus file : fs.listStatus(new Path("/it/blocks"))) {
      IOUtils.copyBytes(fs.open(file.getPath()),
          fs.create(new Path(blocks, file.getPath().getName())), 1 << 16, true);
    }
    Path block = new Path(blocks, "block-00001.bin");
    CLUSTER.corruptReplicas(block);
    Path tags = fs.makeQualified(new Path("/it/tags-corrupt"));
    Configuration conf = conf("corrupt");
    conf.setInt("mapreduce.map.maxattempts", 1);
    Run run = LocalHadoop.tinytags(conf, "classify", "--model", "/it/model",
        "--blocks", blocks.toString(), "--output", tags.toString());
    assertEquals(1, run.status());
    String error = run.err().lines().filter(l -> l.startsWith("tinytags classify: "))
        .findFirst().orElseThrow(() -> new AssertionError(run.err()));
    assertTrue(error.contains("failed: Error: org.apache.hadoop.fs.ChecksumException: Checksum "
        + "CRC32C not matched for file " + block.toUri().getPath() + " at position 0"), error);
    assertFalse(run.err().contains("split the corpus again"), run.err());
    assertFalse(fs.exists(tags), "nothing written half");
  }
}

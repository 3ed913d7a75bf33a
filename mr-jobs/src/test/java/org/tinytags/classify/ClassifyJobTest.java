package org.tinytags.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.image.ImageLayout;
import org.tinytags.train.ForestData;
import org.tinytags.train.ForestModel;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

/**
 * classify on the local job runner, over the CIFAR-10 test batch rewritten in the tiny layout:
 * its labels must be exactly the forest's predictions for the same images read in CIFAR layout.
 */
class ClassifyJobTest {
  private static final int IMAGES = 2500;

  @TempDir
  static Path shared;
  static Path model;
  static Path corpus;
  static Path blocks;
  static Path tags;
  static String classifyLog;

  @TempDir
  Path tmp;

  static FileSystem local() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  static Run classify(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("classify", "--model", model.toString(),
        "--blocks", blocks.toString(), "--output", output.toString()));
    args.addAll(List.of(more));
    return LocalHadoop.tinytags(args.toArray(new String[0]));
  }

  @BeforeAll
  static void trainSplitAndClassify() {
    model = shared.resolve("model");
    corpus = shared.resolve("test-batch.tiny");
    blocks = shared.resolve("blocks");
    tags = shared.resolve("tags");
    Run train = LocalHadoop.tinytags("train", "--cifar", TestCifar.dir().toString(), "--output",
        model.toString(), "--images", "2000", "--trees", "8", "--min-agreement", "0.4");
    assertEquals(0, train.status(), train.err());
    Run make = LocalHadoop.tinytags("make-corpus", "--cifar", TestCifar.dir().toString(),
        "--images", String.valueOf(IMAGES), "--variation", "none", "--layout", "tiny",
        "--output", corpus.toString());
    assertEquals(0, make.status(), make.err());
    Run split = LocalHadoop.tinytags("split", "--input", corpus.toString(), "--layout", "tiny",
        "--images-per-block", "1000", "--output", blocks.toString());
    assertEquals(0, split.status(), split.err());
    Run classify = classify(tags);
    assertEquals(0, classify.status(), classify.err());
    classifyLog = classify.err();
  }

  @Test
  void labelsMatchTheForestOnCifarLayoutImageForImage() throws IOException {
    ForestModel forest = ForestModel.load(local(), hadoop(model));
    byte[] test = TestCifar.testRecords(IMAGES);
    ForestData.RowMaker rowMaker = new ForestData.RowMaker(forest.newExtractor());
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      rows.add(rowMaker.row(ImageLayout.CIFAR, test, i * 3073));
    }
    int[][] expected = forest.classVotes(rows);

    List<TagRows.Row> written = TagRows.read(local(), hadoop(tags));
    assertEquals(IMAGES, written.size(), "one row per image of the manifest");
    for (int i = 0; i < IMAGES; i++) {
      TagRows.Row row = written.get(i);
      assertEquals(i, row.imageId());
      assertArrayEquals(expected[i], row.classVotes(), "class votes of image " + i);
      int label = ForestModel.winner(expected[i]);
      assertEquals(label, row.label(), "label of image " + i);
      assertEquals(expected[i][label], row.votes());
      assertEquals(8, row.trees());
      assertEquals(row.votes() / 8.0, row.agreement(), 1e-12);
      assertEquals(row.votes() >= 0.4 * 8 - 1e-9, row.tagged());
    }
    long tagged = written.stream().filter(TagRows.Row::tagged).count();
    assertTrue(tagged > 0);
    assertTrue(tagged < IMAGES, "untagged rows are kept too");
    // The TAGGED and UNTAGGED counters, as the driver reports them.
    assertTrue(classifyLog.contains(String.format("classify: %,d images, %,d tagged, %,d untagged",
        IMAGES, tagged, IMAGES - tagged)), classifyLog);
  }

  @Test
  void idBlockAndOffsetPointBackToTheRecordBytes() throws IOException {
    byte[] corpusBytes = Files.readAllBytes(corpus);
    for (TagRows.Row row : TagRows.read(local(), hadoop(tags))) {
      assertEquals(row.imageId() / 1000, row.block());
      byte[] blockFile = Files.readAllBytes(
          blocks.resolve(String.format("block-%05d.bin", row.block())));
      int offset = (int) row.offset();
      assertArrayEquals(
          Arrays.copyOfRange(corpusBytes, (int) row.imageId() * 3072, (int) row.imageId() * 3072 + 3072),
          Arrays.copyOfRange(blockFile, offset, offset + 3072), "image " + row.imageId());
    }
  }

  @Test
  void rerunningABlockGivesByteIdenticalRows() throws IOException {
    Path part = tags.resolve("block=00001").resolve("part-00001.orc");
    byte[] before = Files.readAllBytes(part);
    Path copy = tmp.resolve("tags");
    Run full = classify(copy);
    assertEquals(0, full.status(), full.err());
    assertArrayEquals(before, Files.readAllBytes(copy.resolve("block=00001/part-00001.orc")));

    Run only = classify(copy, "--only", "1-2");
    assertEquals(0, only.status(), only.err());
    assertArrayEquals(before, Files.readAllBytes(copy.resolve("block=00001/part-00001.orc")));
    assertEquals(IMAGES, TagRows.read(local(), hadoop(copy)).size(), "no duplicates");
    assertFalse(Files.exists(copy.resolve("_staging")));

    // The lineage index and go-live read: this split's manifest, this forest, this threshold.
    ClassifyManifest lineage = ClassifyManifest.read(local(), hadoop(copy));
    assertEquals(ClassifyManifest.splitSha256(local(), hadoop(blocks)), lineage.splitSha256());
    assertEquals(ForestModel.load(local(), hadoop(model)).info().forestSha256(),
        lineage.forestSha256());
    assertEquals(0.4, lineage.minAgreement(), 1e-9);
    assertEquals((IMAGES + 999) / 1000, lineage.splitBlocks());
    assertEquals(java.util.Map.of(0, 1000L, 1, 1000L, 2, 500L), lineage.blockRows());
    // A block re-run with another threshold is refused unless asked for, and changes nothing.
    Run mixed = classify(copy, "--only", "1", "--min-agreement", "0.7");
    assertEquals(1, mixed.status());
    assertTrue(mixed.err().contains("tinytags classify: --only would tag blocks [1] with forest "
        + lineage.forestSha256() + " and min agreement 0.7 beside rows tagged with forest "
        + lineage.forestSha256() + " and min agreement 0.4; pass --allow-mixed to record the "
        + "mix per block in _classify.json, or classify every block"), mixed.err());
    assertArrayEquals(before, Files.readAllBytes(copy.resolve("block=00001/part-00001.orc")));
    // Asked for, it is recorded as such; the others keep theirs.
    Run other = classify(copy, "--only", "1", "--min-agreement", "0.7", "--allow-mixed");
    assertEquals(0, other.status(), other.err());
    ClassifyManifest rerun = ClassifyManifest.read(local(), hadoop(copy));
    assertEquals(java.util.Map.of(1, 0.7), rerun.blockMinAgreements());
    assertEquals(0.7, rerun.minAgreementOf(1), 1e-9);
    assertEquals(0.4, rerun.minAgreementOf(0), 1e-9);
    // Back at the full run's threshold, the exception goes.
    Run back = classify(copy, "--only", "1");
    assertEquals(0, back.status(), back.err());
    assertEquals(java.util.Map.of(), ClassifyManifest.read(local(), hadoop(copy))
        .blockMinAgreements());

    // Rows of another split (other block sizes) are refused beside them, and nothing changes.
    Path otherBlocks = tmp.resolve("other-blocks");
    Run split = LocalHadoop.tinytags("split", "--input", corpus.toString(), "--layout", "tiny",
        "--images-per-block", "700", "--output", otherBlocks.toString());
    assertEquals(0, split.status(), split.err());
    Run refused = LocalHadoop.tinytags("classify", "--model", model.toString(), "--blocks",
        otherBlocks.toString(), "--output", copy.toString(), "--only", "1");
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("beside rows of another split"), refused.err());
    assertArrayEquals(before, Files.readAllBytes(copy.resolve("block=00001/part-00001.orc")));
  }

  @Test
  void badInputFailsClearlyAndWritesNothing() throws IOException {
    Path out = tmp.resolve("out");
    Run threshold = classify(out, "--min-agreement", "1.5");
    assertEquals(1, threshold.status());
    assertTrue(threshold.err().contains("--min-agreement: must be from 0 to 1"), threshold.err());

    Run only = classify(out, "--only", "2-9");
    assertEquals(1, only.status());
    assertTrue(only.err().contains("block 9 does not exist"), only.err());

    Run noManifest = LocalHadoop.tinytags("classify", "--model", model.toString(), "--blocks",
        tmp.toString(), "--output", out.toString());
    assertEquals(1, noManifest.status());
    assertTrue(noManifest.err().contains("no _manifest.json"), noManifest.err());

    Run noModel = LocalHadoop.tinytags("classify", "--model", tmp.resolve("x").toString(),
        "--blocks", blocks.toString(), "--output", out.toString());
    assertEquals(1, noModel.status());
    assertTrue(noModel.err().contains("model directory not found"), noModel.err());

    Run exists = classify(tags);
    assertEquals(1, exists.status());
    assertTrue(exists.err().contains("already exists; pass --overwrite"), exists.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void corruptBlockFailsNamingIt() throws IOException {
    Path copy = tmp.resolve("blocks");
    Files.createDirectories(copy);
    for (String name : List.of("_manifest.json", "block-00000.bin", "block-00001.bin",
        "block-00002.bin")) {
      Files.copy(blocks.resolve(name), copy.resolve(name));
    }
    byte[] block = Files.readAllBytes(copy.resolve("block-00001.bin"));
    block[5000] ^= 1;
    Files.write(copy.resolve("block-00001.bin"), block);
    Path out = tmp.resolve("out");
    Run run = LocalHadoop.tinytags("classify", "--model", model.toString(), "--blocks",
        copy.toString(), "--output", out.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("block-00001.bin (block 1): SHA-256 "), run.err());
    String sha = org.tinytags.io.BlockManifest.read(local(), hadoop(copy)).block(1).sha256();
    assertTrue(run.err().contains(" does not match the manifest's " + sha
        + "; the block is corrupt: restore it or split the corpus again"), run.err());
    assertFalse(Files.exists(out), "nothing written half");

    Files.delete(copy.resolve("block-00002.bin"));
    Run missing = LocalHadoop.tinytags("classify", "--model", model.toString(), "--blocks",
        copy.toString(), "--output", out.toString(), "--only", "2");
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("block 2 (block-00002.bin) is missing"), missing.err());
  }

  @Test
  void failedReadIsReportedNotTheChecksum() {
    // Block 1's mapper fails after 256 rows, as a failing HDFS read would: the error reported is
    // that failure, not the checksum of the half-read block that cleanup would have computed.
    Path out = tmp.resolve("out");
    Configuration conf = LocalHadoop.conf();
    org.tinytags.io.InjectedFault.set(conf, 1, 256, "map:1");
    List<String> args = List.of("classify", "--model", model.toString(), "--blocks",
        blocks.toString(), "--output", out.toString());
    Run run = LocalHadoop.tinytags(conf, args.toArray(new String[0]));
    assertEquals(1, run.status());
    String error = run.err().lines().filter(l -> l.startsWith("tinytags classify: "))
        .findFirst().orElseThrow(() -> new AssertionError(run.err()));
    assertTrue(error.matches("tinytags classify: tinytags classify blocks"
        + " \\(job_local\\d+_\\d+\\) failed: java.io.IOException: injected fault in attempt_local\\d+_\\d+_m_000001_0"
        + " after 256 records \\(tinytags.fault.task\\)"), error);
    assertFalse(run.err().contains("the block is corrupt"), run.err());
    assertFalse(Files.exists(out), "nothing written half");
  }

  @Test
  void validateChecksEveryBlocksRowsAgainstTheSplit() throws IOException {
    Run valid = LocalHadoop.tinytags("validate", "--blocks", blocks.toString(), "--classified",
        tags.toString());
    assertEquals(0, valid.status(), valid.err());
    assertTrue(valid.out().contains("validate: 3 blocks, 2,500 rows in " + tags + " against "
        + blocks + ": valid"), valid.out());

    Path copy = tmp.resolve("tags");
    org.apache.commons.io.FileUtils.copyDirectory(tags.toFile(), copy.toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(copy.resolve("block=00001").toFile());
    org.apache.commons.io.FileUtils.copyDirectory(copy.resolve("block=00002").toFile(),
        copy.resolve("block=00007").toFile());
    // Block 0's rows where block 2's belong (without the checksum file of the old one).
    Files.delete(copy.resolve("block=00002/.part-00002.orc.crc"));
    Files.copy(copy.resolve("block=00000/part-00000.orc"),
        copy.resolve("block=00002/part-00002.orc"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Run invalid = LocalHadoop.tinytags("validate", "--blocks", blocks.toString(), "--classified",
        copy.toString());
    assertEquals(1, invalid.status(), invalid.out());
    assertEquals(List.of(
        "invalid: block 1 (block=00001): missing",
        "invalid: block 2 (block=00002): 1000 rows for the block's 500 images",
        "invalid: block 2 (block=00002): image ids 0..999 with 0 breaks in the sequence; the "
            + "block holds images 2000..2499, each once, in order",
        "invalid: block 2 (block=00002): 1000 rows say another block",
        "invalid: block 2 (block=00002): _classify.json records 500 rows, the files hold 1000",
        "invalid: block 7 (block=00007): extra; the split has blocks 0-2",
        "validate: 3 blocks, 2,500 rows in " + copy + " against " + blocks + ": 6 problems"),
        invalid.out().lines().toList());
  }

  @Test
  void concurrentLocalRunsFromOneDirectoryEachUseTheirOwnModel() throws Exception {
    // The local runner links cache files into the process's current directory; two runs with
    // models of the same file names used to share (or delete) each other's links.
    Path small = tmp.resolve("model-2");
    Run train = LocalHadoop.tinytags("train", "--cifar", TestCifar.dir().toString(), "--output",
        small.toString(), "--images", "500", "--trees", "2");
    assertEquals(0, train.status(), train.err());
    Path eight = tmp.resolve("tags-8");
    Path two = tmp.resolve("tags-2");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> org.tinytags.TinyTags.run(LocalHadoop.conf(),
          new String[] {"classify", "--model", model.toString(), "--blocks", blocks.toString(),
              "--output", eight.toString()}));
      var second = pool.submit(() -> org.tinytags.TinyTags.run(LocalHadoop.conf(),
          new String[] {"classify", "--model", small.toString(), "--blocks", blocks.toString(),
              "--output", two.toString()}));
      assertEquals(0, first.get());
      assertEquals(0, second.get());
    } finally {
      pool.shutdown();
    }
    List<TagRows.Row> eightRows = TagRows.read(local(), hadoop(eight));
    List<TagRows.Row> twoRows = TagRows.read(local(), hadoop(two));
    assertEquals(IMAGES, eightRows.size());
    assertEquals(IMAGES, twoRows.size());
    assertTrue(eightRows.stream().allMatch(r -> r.trees() == 8), "the 8-tree model's rows");
    assertTrue(twoRows.stream().allMatch(r -> r.trees() == 2), "the 2-tree model's rows");
    for (String link : List.of(ForestModel.FOREST_FILE, ForestModel.MODEL_FILE,
        "corpus-manifest.json")) {
      assertFalse(Files.exists(Path.of(System.getProperty("user.dir"), link)),
          link + " linked into the current directory");
    }
  }
}

package org.tinytags.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

class SplitJobTest {
  @TempDir
  static Path shared;
  static Path corpus;

  @TempDir
  Path tmp;

  @BeforeAll
  static void makeCorpus() {
    corpus = shared.resolve("corpus.bin");
    Run run = LocalHadoop.tinytags("make-corpus", "--cifar", TestCifar.dir().toString(),
        "--images", "10000", "--layout", "tiny", "--output", corpus.toString());
    assertEquals(0, run.status(), run.err());
  }

  static String sha256(Path... files) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Path file : files) {
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static BlockManifest manifest(Path dir) throws IOException {
    return BlockManifest.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(dir.toUri()));
  }

  static Path[] blockFiles(Path dir, BlockManifest manifest) {
    return manifest.blocks().stream().map(b -> dir.resolve(b.file())).toArray(Path[]::new);
  }

  private Run split(Path input, String layout, long perBlock, Path output, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("split", "--input", input.toString(),
        "--layout", layout, "--images-per-block", String.valueOf(perBlock), "--output",
        output.toString()));
    args.addAll(List.of(more));
    return LocalHadoop.tinytags(args.toArray(new String[0]));
  }

  @Test
  void tenThousandImagesAtThreeThousandPerBlockMakeFourBlocks() throws Exception {
    Path out = tmp.resolve("blocks");
    Run run = split(corpus, "tiny", 3000, out);
    assertEquals(0, run.status(), run.err());

    BlockManifest manifest = manifest(out);
    assertEquals("tiny", manifest.layout());
    assertEquals(10000, manifest.images());
    assertEquals(10000L * 3072, manifest.bytes());
    assertEquals(List.of(3000L, 3000L, 3000L, 1000L),
        manifest.blocks().stream().map(BlockManifest.Block::images).toList());
    assertEquals(List.of(0L, 3000L, 6000L, 9000L),
        manifest.blocks().stream().map(BlockManifest.Block::firstImage).toList());
    for (BlockManifest.Block block : manifest.blocks()) {
      Path file = out.resolve(block.file());
      assertEquals(BlockNames.blockFile(block.block()), block.file());
      assertEquals(block.bytes(), Files.size(file));
      assertEquals(block.sha256(), sha256(file), block.file());
    }
    assertEquals(sha256(corpus), sha256(blockFiles(out, manifest)));
  }

  @Test
  void rerunWithOverwriteAndManyMappersGivesIdenticalOutput() throws Exception {
    Path out = tmp.resolve("blocks");
    assertEquals(0, split(corpus, "tiny", 1500, out).status());
    byte[] manifestBytes = Files.readAllBytes(manifestPath(out));
    String blocksSha = sha256(blockFiles(out, manifest(out)));

    Run again = split(corpus, "tiny", 1500, out);
    assertEquals(1, again.status());
    assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());

    // One block per mapper this time, several mappers writing at once.
    Configuration conf = LocalHadoop.conf();
    BlockInputFormat.setTargetSplitBytes(conf, 1);
    Run overwrite = LocalHadoop.tinytags(conf, "split", "--input", corpus.toString(), "--layout",
        "tiny", "--images-per-block", "1500", "--output", out.toString(), "--overwrite");
    assertEquals(0, overwrite.status(), overwrite.err());
    assertArrayEquals(manifestBytes, Files.readAllBytes(manifestPath(out)));
    assertEquals(blocksSha, sha256(blockFiles(out, manifest(out))));
    assertEquals(7, manifest(out).blocks().size());
  }

  private static Path manifestPath(Path out) {
    return out.resolve(BlockManifest.FILE_NAME);
  }

  @Test
  void cifarBatchesSplitAcrossFileBoundaries() throws Exception {
    byte[] records = TestCifar.testRecords(1500);
    Path input = tmp.resolve("batches");
    Files.createDirectories(input);
    Files.write(input.resolve("a.bin"), Arrays.copyOfRange(records, 0, 1000 * 3073));
    Files.write(input.resolve("b.bin"), Arrays.copyOfRange(records, 1000 * 3073, records.length));
    Path out = tmp.resolve("blocks");
    Run run = split(input, "cifar", 700, out);
    assertEquals(0, run.status(), run.err());
    BlockManifest manifest = manifest(out);
    assertEquals("cifar", manifest.layout());
    assertEquals(3073, manifest.recordBytes());
    assertEquals(List.of(700L, 700L, 100L),
        manifest.blocks().stream().map(BlockManifest.Block::images).toList());
    assertArrayEquals(Arrays.copyOfRange(records, 700 * 3073, 1400 * 3073),
        Files.readAllBytes(out.resolve("block-00001.bin")));
    assertEquals(sha256(input.resolve("a.bin"), input.resolve("b.bin")),
        sha256(blockFiles(out, manifest)));
  }

  @Test
  void badArgumentsAndInputsFailClearly() throws Exception {
    Path out = tmp.resolve("out");
    Run zero = split(corpus, "tiny", 0, out);
    assertEquals(1, zero.status());
    assertTrue(zero.err().contains("--images-per-block must be greater than 0"), zero.err());
    assertEquals(1, split(corpus, "tiny", -3, out).status());

    Run layout = split(corpus, "jpeg", 10, out);
    assertEquals(1, layout.status());
    assertTrue(layout.err().contains("--layout: unknown layout 'jpeg'"), layout.err());

    Run missing = split(tmp.resolve("nope.bin"), "tiny", 10, out);
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("input not found"), missing.err());

    Path truncated = tmp.resolve("truncated.bin");
    Files.write(truncated, Arrays.copyOf(Files.readAllBytes(corpus), 3072 * 10 + 1000));
    Run partial = split(truncated, "tiny", 4, out);
    assertEquals(1, partial.status());
    assertTrue(partial.err().contains("truncated.bin: length 31720 bytes is not a multiple of "
        + "the tiny record size 3072"), partial.err());

    Run wrongLayout = split(corpus, "cifar", 100, out);
    assertEquals(1, wrongLayout.status());
    assertTrue(wrongLayout.err().contains("cifar record size 3073"), wrongLayout.err());

    Path empty = tmp.resolve("empty.bin");
    Files.write(empty, new byte[0]);
    Run none = split(empty, "tiny", 4, out);
    assertEquals(1, none.status());
    assertTrue(none.err().contains("no images in the input"), none.err());
    assertFalse(Files.exists(out), "failed runs leave no output");
  }

  @Test
  void labelOutOfRangeFailsTheJobAndLeavesNoOutput() throws Exception {
    byte[] records = TestCifar.testRecords(6);
    records[4 * 3073] = 12;
    Path input = tmp.resolve("bad-label.bin");
    Files.write(input, records);
    Path out = tmp.resolve("out");
    Run run = split(input, "cifar", 2, out);
    assertEquals(1, run.status());
    assertTrue(run.err().contains("failed"), run.err());
    assertFalse(Files.exists(out), "a failed split leaves no output directory");
  }
}

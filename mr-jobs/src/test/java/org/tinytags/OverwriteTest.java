package org.tinytags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.InjectedFault;
import org.tinytags.solr.IndexManifest;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;
import org.tinytags.train.ForestModel;

/**
 * {@code --overwrite} replaces an output only once the new run has succeeded: a re-run that
 * fails midway (a task failing after writing part of its output) leaves every byte of the last
 * good output in place, and nothing beside it; a re-run that succeeds replaces it whole.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverwriteTest {
  @TempDir
  static Path dir;
  static Path corpus;

  @BeforeAll
  static void corpus() {
    corpus = dir.resolve("corpus.tiny");
    ok(LocalHadoop.conf(), "make-corpus", "--cifar", TestCifar.dir().toString(), "--images",
        "1200", "--variation", "none", "--output", corpus.toString());
  }

  private static org.apache.hadoop.fs.FileSystem local() throws IOException {
    return org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private static Run ok(Configuration conf, String... args) {
    Run run = LocalHadoop.tinytags(conf, args);
    assertEquals(0, run.status(), run.err());
    return run;
  }

  /** Every file under {@code root} (checksums included), by relative path, with its SHA-256. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(file -> {
        try {
          files.put(root.relativize(file).toString(), HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return files;
  }

  /**
   * Runs {@code args --overwrite} over the existing {@code output} with {@code task} failing
   * after {@code after} records, and checks the failure left {@code output} as it was.
   */
  private static void failedOverwriteKeeps(Path output, String task, long after, String... args)
      throws IOException {
    Map<String, String> before = snapshot(output);
    assertTrue(before.size() > 1, before.toString());
    Configuration conf = LocalHadoop.conf();
    InjectedFault.set(conf, 1, after, task);
    List<String> rerun = new ArrayList<>(List.of(args));
    rerun.add("--overwrite");
    Run failed = LocalHadoop.tinytags(conf, rerun.toArray(new String[0]));
    assertEquals(1, failed.status(), failed.err());
    assertTrue(failed.err().contains(InjectedFault.MESSAGE + " in attempt_local"), failed.err());
    assertEquals(before, snapshot(output), "the last good output is intact");
    try (Stream<Path> siblings = Files.list(output.getParent())) {
      assertEquals(List.of(), siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + output.getFileName() + ".")).toList(),
          "nothing left beside it");
    }
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  @Order(1)
  void split() throws IOException {
    Path blocks = dir.resolve("blocks");
    List<String> args = List.of("split", "--input", corpus.toString(), "--layout", "tiny",
        "--output", blocks.toString());
    ok(LocalHadoop.conf(), with(args, "--images-per-block", "400").toArray(new String[0]));
    failedOverwriteKeeps(blocks, "map:0", 500,
        with(args, "--images-per-block", "300").toArray(new String[0]));
    ok(LocalHadoop.conf(), with(args, "--images-per-block", "300", "--overwrite")
        .toArray(new String[0]));
    var manifest = BlockManifest.read(local(), hadoop(blocks));
    assertEquals(4, manifest.blocks().size(), "replaced by the successful re-run");
  }

  @Test
  @Order(2)
  void train() throws IOException {
    Path model = dir.resolve("model");
    List<String> args = List.of("train", "--cifar", TestCifar.dir().toString(), "--images",
        "600", "--trees", "2", "--mappers", "1", "--output", model.toString());
    ok(LocalHadoop.conf(), with(args, "--seed", "1").toArray(new String[0]));
    String forest = snapshot(model).get(ForestModel.FOREST_FILE);
    failedOverwriteKeeps(model, "map:0", 1, with(args, "--seed", "2").toArray(new String[0]));
    ok(LocalHadoop.conf(), with(args, "--seed", "2", "--overwrite").toArray(new String[0]));
    assertNotEquals(forest, snapshot(model).get(ForestModel.FOREST_FILE));
  }

  @Test
  @Order(3)
  void classify() throws IOException {
    Path tags = dir.resolve("tags");
    List<String> args = List.of("classify", "--model", dir.resolve("model").toString(),
        "--blocks", dir.resolve("blocks").toString(), "--output", tags.toString());
    ok(LocalHadoop.conf(), with(args, "--min-agreement", "0.5").toArray(new String[0]));
    failedOverwriteKeeps(tags, "map:1", 256,
        with(args, "--min-agreement", "1").toArray(new String[0]));
    ok(LocalHadoop.conf(), with(args, "--min-agreement", "1", "--overwrite")
        .toArray(new String[0]));
    assertEquals(1.0, org.tinytags.classify.ClassifyManifest.read(local(), hadoop(tags))
        .minAgreement(), "replaced by the successful re-run");
  }

  @Test
  @Order(4)
  void index() throws IOException {
    Path index = dir.resolve("index");
    List<String> args = List.of("index", "--classified", dir.resolve("tags").toString(),
        "--min-agreement", "0", "--output", index.toString());
    ok(LocalHadoop.conf(), with(args, "--shards", "2").toArray(new String[0]));
    failedOverwriteKeeps(index, "reduce:0", 10, with(args, "--shards", "1")
        .toArray(new String[0]));
    ok(LocalHadoop.conf(), with(args, "--shards", "1", "--overwrite").toArray(new String[0]));
    assertEquals(1, IndexManifest.read(local(), hadoop(index)).shards().size());
  }
}

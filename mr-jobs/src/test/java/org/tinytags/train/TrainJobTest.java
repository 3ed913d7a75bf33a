package org.tinytags.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.ImageLayout;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

/** train on the local job runner, on a small subset of CIFAR-10. */
class TrainJobTest {
  @TempDir
  static Path shared;
  static Path model;

  @TempDir
  Path tmp;

  /** Trains on 1,500 images; {@code more} may override --trees (default 6 here). */
  static Run train(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--cifar", TestCifar.dir().toString(),
        "--output", output.toString(), "--images", "1500"));
    args.addAll(List.of(more));
    if (!args.contains("--trees")) {
      args.addAll(List.of("--trees", "6"));
    }
    return LocalHadoop.tinytags(args.toArray(new String[0]));
  }

  static ForestModel load(Path dir) throws IOException {
    return ForestModel.load(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(dir.toUri()));
  }

  /** Feature rows of the first {@code count} test images, for the model's features. */
  static List<double[]> testRows(ForestModel model, int count) {
    byte[] records = TestCifar.testRecords(count);
    ForestData.RowMaker rowMaker = new ForestData.RowMaker(model.newExtractor());
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(rowMaker.row(ImageLayout.CIFAR, records, i * 3073));
    }
    return rows;
  }

  @BeforeAll
  static void trainOnce() {
    model = shared.resolve("model");
    Run run = train(model, "--seed", "7");
    assertEquals(0, run.status(), run.err());
  }

  @Test
  void modelDirectoryDescribesTheForest() throws IOException {
    ForestModel loaded = load(model);
    ModelInfo info = loaded.info();
    assertEquals(6, info.trees());
    assertEquals(TrainJob.DEFAULT_FEATURES, info.features());
    assertEquals(FeatureExtractor.VERSION, info.featureVersion());
    assertEquals(1500, info.trainingImages());
    assertEquals(7, info.seed());
    assertEquals("inmem", info.builder());
    assertEquals("0.13.0", info.mahoutVersion());
    assertEquals(TrainJob.DEFAULT_MIN_AGREEMENT, info.minAgreement());
    assertTrue(info.trainSeconds() > 0);
    String labels = Files.readString(model.resolve(ForestModel.LABELS_FILE));
    assertTrue(labels.contains("\"code\" : 3,\n  \"label\" : 3,\n  \"name\" : \"cat\""), labels);
    assertFalse(Files.exists(shared.resolve(".model.partial")), "no partial model left behind");
  }

  @Test
  void sameSeedSameForestAndSaveLoadKeepsPredictions() throws Exception {
    Path again = tmp.resolve("again");
    assertEquals(0, train(again, "--seed", "7").status());
    assertArrayEquals(Files.readAllBytes(model.resolve(ForestModel.FOREST_FILE)),
        Files.readAllBytes(again.resolve(ForestModel.FOREST_FILE)));

    ForestModel loaded = load(model);
    Path copy = tmp.resolve("copy");
    Files.createDirectories(copy);
    ForestModel written = ForestModel.write(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(copy.toUri()), loaded.info(), readForest(model),
        ForestData.dataset(loaded.info().attributes()));
    List<double[]> rows = testRows(loaded, 300);
    int[][] before = written.classVotes(rows);
    int[][] after = load(copy).classVotes(rows);
    assertArrayEquals(before, after);
    assertArrayEquals(loaded.classVotes(rows), after);
    // The flat copy of the trees votes exactly as Mahout's own classifier.
    assertArrayEquals(loaded.mahoutClassVotes(rows), loaded.classVotes(rows));
    for (int[] votes : after) {
      assertEquals(6, java.util.Arrays.stream(votes).sum(), "every tree votes once");
    }

    Path otherSeed = tmp.resolve("other-seed");
    assertEquals(0, train(otherSeed, "--seed", "8").status());
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(model.resolve(ForestModel.FOREST_FILE)),
        Files.readAllBytes(otherSeed.resolve(ForestModel.FOREST_FILE))));
  }

  private static org.apache.mahout.classifier.df.DecisionForest readForest(Path dir)
      throws IOException {
    try (var in = new java.io.DataInputStream(
        Files.newInputStream(dir.resolve(ForestModel.FOREST_FILE)))) {
      return org.apache.mahout.classifier.df.DecisionForest.read(in);
    }
  }

  @Test
  void partialBuilderGrowsAForestToo() throws IOException {
    Path partial = tmp.resolve("partial");
    Run run = train(partial, "--builder", "partial", "--trees", "4");
    assertEquals(0, run.status(), run.err());
    ForestModel loaded = load(partial);
    assertEquals("partial", loaded.info().builder());
    assertEquals(1, loaded.info().mappers(), "1,500 images fit one split");
    assertEquals(4, loaded.trees());
    assertEquals(50, loaded.classVotes(testRows(loaded, 50)).length);
  }

  @Test
  void badArgumentsFailClearly() throws IOException {
    Run zero = train(tmp.resolve("m"), "--trees", "0");
    assertEquals(1, zero.status());
    assertTrue(zero.err().contains("--trees must be greater than 0"), zero.err());
    Run features = train(tmp.resolve("m"), "--features", "hog+sift");
    assertEquals(1, features.status());
    assertTrue(features.err().contains("unknown feature group 'sift'"), features.err());
    Run builder = train(tmp.resolve("m"), "--builder", "spark");
    assertEquals(1, builder.status());
    assertTrue(builder.err().contains("expected inmem or partial"), builder.err());

    Path partialCifar = tmp.resolve("cifar");
    Files.createDirectories(partialCifar);
    Files.createSymbolicLink(partialCifar.resolve("test_batch.bin"),
        TestCifar.dir().resolve("test_batch.bin"));
    Run missing = LocalHadoop.tinytags("train", "--cifar", partialCifar.toString(), "--output",
        tmp.resolve("m").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("is incomplete: missing [data_batch_1.bin"), missing.err());
    assertFalse(Files.exists(tmp.resolve("m")));

    Run exists = train(model);
    assertEquals(1, exists.status());
    assertTrue(exists.err().contains("already exists; pass --overwrite"), exists.err());
  }

  private Path copyOfModel(String dirName) throws IOException {
    Path copy = tmp.resolve(dirName);
    Files.createDirectories(copy);
    for (String name : List.of(ForestModel.FOREST_FILE, ForestModel.DATASET_FILE,
        ForestModel.LABELS_FILE, ForestModel.MODEL_FILE)) {
      Files.copy(model.resolve(name), copy.resolve(name));
    }
    return copy;
  }

  @Test
  void brokenModelsAreRefusedNamingTheFile() throws IOException {
    IOException missingDir = assertThrows(IOException.class, () -> load(tmp.resolve("none")));
    assertTrue(missingDir.getMessage().contains("model directory not found"));

    Path truncated = copyOfModel("truncated");
    byte[] forest = Files.readAllBytes(truncated.resolve(ForestModel.FOREST_FILE));
    Files.write(truncated.resolve(ForestModel.FOREST_FILE),
        java.util.Arrays.copyOf(forest, forest.length / 2));
    IOException cut = assertThrows(IOException.class, () -> load(truncated));
    assertTrue(cut.getMessage().contains(ForestModel.FOREST_FILE + ": SHA-256"), cut.getMessage());
    assertTrue(cut.getMessage().contains("truncated or altered"), cut.getMessage());

    Files.delete(truncated.resolve(ForestModel.FOREST_FILE));
    IOException gone = assertThrows(IOException.class, () -> load(truncated));
    assertTrue(gone.getMessage().contains("model file missing"), gone.getMessage());

    Path oldFeatures = copyOfModel("old-features");
    Path modelJson = oldFeatures.resolve(ForestModel.MODEL_FILE);
    Files.writeString(modelJson, Files.readString(modelJson)
        .replace("\"featureVersion\" : \"" + FeatureExtractor.VERSION + "\"",
            "\"featureVersion\" : \"0\""));
    IOException version = assertThrows(IOException.class, () -> load(oldFeatures));
    assertTrue(version.getMessage().contains("feature version 0"), version.getMessage());
    assertTrue(version.getMessage().contains(ForestModel.MODEL_FILE), version.getMessage());

    Files.writeString(modelJson, "{ \"trees\" : ");
    IOException garbled = assertThrows(IOException.class, () -> load(oldFeatures));
    assertTrue(garbled.getMessage().contains("model.json: not readable"), garbled.getMessage());
  }
}

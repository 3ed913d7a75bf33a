package org.tinytags.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.image.ImageLayout;
import org.tinytags.image.ImageRecord;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

class MakeCorpusTest {
  @TempDir
  Path tmp;

  private Run makeCorpus(Path output, String... more) {
    String[] base = {"make-corpus", "--cifar", TestCifar.dir().toString(), "--output",
        output.toString()};
    String[] args = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return LocalHadoop.tinytags(args);
  }

  @Test
  void noVariationCopiesTheTestBatchInOrderCycling() throws Exception {
    Path corpus = tmp.resolve("exact.bin");
    Run run = makeCorpus(corpus, "--images", "10003", "--layout", "tiny", "--variation", "none");
    assertEquals(0, run.status(), run.err());
    byte[] tiny = Files.readAllBytes(corpus);
    byte[] labels = Files.readAllBytes(Path.of(corpus + MakeCorpus.LABELS_SUFFIX));
    assertEquals(10003L * 3072, tiny.length);
    assertEquals(10003, labels.length);
    byte[] test = TestCifar.testRecords(10000);
    for (int i : new int[] {0, 1, 4321, 9999, 10000, 10002}) {
      int source = i % 10000;
      ImageRecord expected = ImageRecord.read(ImageLayout.CIFAR, test, source * 3073);
      ImageRecord actual = ImageRecord.read(ImageLayout.TINY, tiny, i * 3072);
      assertArrayEquals(expected.pixels(), actual.pixels(), "image " + i);
      assertEquals(expected.label(), labels[i], "label of image " + i);
    }
  }

  @Test
  void lightVariationIsReproducibleAndLabelled() throws Exception {
    Path a = tmp.resolve("a.bin");
    Path b = tmp.resolve("b.bin");
    Path c = tmp.resolve("c.bin");
    assertEquals(0, makeCorpus(a, "--images", "500", "--layout", "cifar", "--seed", "7").status());
    assertEquals(0, makeCorpus(b, "--images", "500", "--layout", "cifar", "--seed", "7").status());
    assertEquals(0, makeCorpus(c, "--images", "500", "--layout", "cifar", "--seed", "8").status());
    byte[] bytesA = Files.readAllBytes(a);
    assertArrayEquals(bytesA, Files.readAllBytes(b));
    assertFalse(Arrays.equals(bytesA, Files.readAllBytes(c)));
    byte[] labels = Files.readAllBytes(Path.of(a + MakeCorpus.LABELS_SUFFIX));
    int[] perClass = new int[10];
    for (int i = 0; i < 500; i++) {
      assertEquals(bytesA[i * 3073], labels[i], "CIFAR label byte and .labels agree, image " + i);
      perClass[labels[i]]++;
    }
    // Random draws from a balanced batch: every class shows up.
    assertTrue(Arrays.stream(perClass).allMatch(n -> n > 20), Arrays.toString(perClass));
  }

  @Test
  void badArgumentsFailClearly() throws Exception {
    Path out = tmp.resolve("x.bin");
    Run zero = makeCorpus(out, "--images", "0");
    assertEquals(1, zero.status());
    assertTrue(zero.err().contains("--images must be greater than 0"), zero.err());
    Run variation = makeCorpus(out, "--images", "5", "--variation", "heavy");
    assertEquals(1, variation.status());
    assertTrue(variation.err().contains("expected light or none"), variation.err());

    Run noCifar = LocalHadoop.tinytags("make-corpus", "--cifar", tmp.resolve("none").toString(),
        "--images", "5", "--output", out.toString());
    assertEquals(1, noCifar.status());
    assertTrue(noCifar.err().contains("CIFAR-10 directory not found"), noCifar.err());

    assertEquals(0, makeCorpus(out, "--images", "5").status());
    Run exists = makeCorpus(out, "--images", "5");
    assertEquals(1, exists.status());
    assertTrue(exists.err().contains("already exists; pass --overwrite"), exists.err());
    assertEquals(0, makeCorpus(out, "--images", "6", "--overwrite").status());
    assertEquals(6 * 3072, Files.size(out));
  }
}

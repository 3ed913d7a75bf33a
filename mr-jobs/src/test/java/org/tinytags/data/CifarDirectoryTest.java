package org.tinytags.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.testing.TestCifar;

class CifarDirectoryTest {
  @TempDir
  Path tmp;

  private static CifarDirectory open(Path dir) throws IOException {
    return CifarDirectory.open(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration());
  }

  /** A CIFAR directory of links to the real batches, in the archive's nested folder. */
  private Path linkedCopy() throws IOException {
    Path nested = tmp.resolve("copy").resolve(CifarDirectory.ARCHIVE_FOLDER);
    Files.createDirectories(nested);
    for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin")) {
      Files.createSymbolicLink(nested.resolve(name), TestCifar.dir().resolve(name));
    }
    return nested;
  }

  @Test
  void readsTheSharedCopyWithExactLabels() throws IOException {
    CifarDirectory cifar = TestCifar.open();
    byte[] test = cifar.read(List.of(cifar.testBatch()));
    assertEquals(10000 * 3073, test.length);
    int[] perClass = new int[10];
    for (int i = 0; i < 10000; i++) {
      perClass[test[i * 3073]]++;
    }
    for (int count : perClass) {
      assertEquals(1000, count);
    }
    assertEquals(5, cifar.trainBatches().size());
  }

  @Test
  void acceptsTheArchiveFolderOrItsParent() throws IOException {
    Path nested = linkedCopy();
    assertEquals(nested.toUri().getPath().replaceAll("/$", ""),
        open(nested.getParent()).dir().toUri().getPath());
  }

  @Test
  void missingBatchIsNamed() throws IOException {
    Path nested = linkedCopy();
    Files.delete(nested.resolve("data_batch_3.bin"));
    IOException e = assertThrows(IOException.class, () -> open(nested));
    assertTrue(e.getMessage().contains("incomplete: missing [data_batch_3.bin]"), e.getMessage());
  }

  @Test
  void truncatedBatchIsNamed() throws IOException {
    Path nested = linkedCopy();
    Files.delete(nested.resolve("test_batch.bin"));
    Files.write(nested.resolve("test_batch.bin"), new byte[3073 * 2 - 1]);
    IOException e = assertThrows(IOException.class, () -> open(nested));
    assertTrue(e.getMessage().contains("test_batch.bin: length 6145 bytes"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsNamedWithFileAndRecord() throws IOException {
    Path nested = linkedCopy();
    byte[] records = TestCifar.testRecords(3);
    records[3073] = (byte) 200;
    Files.delete(nested.resolve("test_batch.bin"));
    Files.write(nested.resolve("test_batch.bin"), records);
    CifarDirectory cifar = open(nested);
    IOException e = assertThrows(IOException.class, () -> cifar.read(List.of(cifar.testBatch())));
    assertTrue(e.getMessage().contains("test_batch.bin: record 1 (byte offset 3073) has label 200"),
        e.getMessage());
  }
}

package org.tinytags.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.tinytags.data.CifarDirectory;

/** The CIFAR-10 copy tests read, found through {@code TINYTAGS_CIFAR_DIR}. */
public final class TestCifar {
  public static final String ENV = "TINYTAGS_CIFAR_DIR";

  private TestCifar() {}

  /** The directory, absolute; a relative value may be relative to the repository root. */
  public static Path dir() {
    String value = System.getenv(ENV);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(ENV + " is not set: point it at a directory of CIFAR-10 "
          + "binary batches, e.g. export " + ENV + "=$PWD/../shared/data/cifar-10 "
          + "(or fetch one with 'bin/tinytags fetch-cifar --dir <dir>')");
    }
    for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
      Path candidate = base.resolve(value).normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(ENV + "=" + value + " is not a directory");
  }

  public static CifarDirectory open() {
    try {
      return CifarDirectory.open(new org.apache.hadoop.fs.Path(dir().toUri()),
          new Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first {@code count} records of the test batch, in CIFAR layout. */
  public static byte[] testRecords(int count) {
    try {
      byte[] all = open().read(java.util.List.of(open().testBatch()));
      return java.util.Arrays.copyOf(all, count * 3073);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

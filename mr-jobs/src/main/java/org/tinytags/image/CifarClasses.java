package org.tinytags.image;

import java.io.IOException;
import java.util.List;

/** CIFAR-10's ten classes; a label is the index into {@link #NAMES}. */
public final class CifarClasses {
  public static final List<String> NAMES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
  public static final int COUNT = NAMES.size();

  private CifarClasses() {}

  public static boolean isLabel(int label) {
    return label >= 0 && label < COUNT;
  }

  /** Fails, naming the file and record, if {@code label} is not a CIFAR-10 class. */
  public static void checkLabel(int label, Object file, long record, long byteOffset)
      throws IOException {
    if (!isLabel(label)) {
      throw new IOException(String.format(
          "%s: record %d (byte offset %d) has label %d; CIFAR-10 labels are 0-9", file, record,
          byteOffset, label));
    }
  }

  public static String name(int label) {
    if (!isLabel(label)) {
      throw new IllegalArgumentException("no CIFAR-10 class has label " + label);
    }
    return NAMES.get(label);
  }
}

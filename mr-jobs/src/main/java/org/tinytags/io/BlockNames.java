package org.tinytags.io;

/**
 * The names a block goes by on disk: its file in a split output and its partition directory in
 * a classify output. Dependency-free, because the Hive UDF jar carries this class too.
 */
public final class BlockNames {
  private static final String PARTITION_PREFIX = "block=";

  private BlockNames() {}

  /** {@code block-00042.bin}: zero-padded so a directory listing sorts in block order. */
  public static String blockFile(int block) {
    return String.format("block-%05d.bin", block);
  }

  /** {@code block=00003}: the Hive partition directory of a block. */
  public static String partition(int block) {
    return String.format(PARTITION_PREFIX + "%05d", block);
  }

  /** The block whose partition directory is called {@code name}, or -1 if it is none. */
  public static int partitionBlock(String name) {
    return name.matches(PARTITION_PREFIX + "\\d+")
        ? Integer.parseInt(name.substring(PARTITION_PREFIX.length())) : -1;
  }
}

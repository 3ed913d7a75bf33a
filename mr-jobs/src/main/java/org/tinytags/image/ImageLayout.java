package org.tinytags.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * The two on-disk layouts of a 32x32 RGB image record, and their conversion to the one canonical
 * pixel order every stage works with.
 *
 * <p>Canonical order is planar and row-major: byte {@code ch*1024 + row*32 + col}, channels R, G,
 * B. That is CIFAR-10's order without its label byte. The 80 Million Tiny Images files store each
 * plane column-major ({@code ch*1024 + col*32 + row}); reading them as row-major gives transposed
 * images, the mistake this conversion exists to prevent.
 */
public enum ImageLayout {
  /** CIFAR-10 binary: 1 label byte (0-9), then 1,024 R, 1,024 G, 1,024 B, row-major. */
  CIFAR("cifar", 1, true),
  /** 80 Million Tiny Images: no label, 3 planes of 1,024 bytes, each column-major. */
  TINY("tiny", 0, false);

  public static final int SIDE = 32;
  public static final int PLANE = SIDE * SIDE;
  public static final int PIXEL_BYTES = 3 * PLANE;
  public static final int NO_LABEL = -1;

  private final String id;
  private final int headerBytes;
  private final boolean columnMajor;

  ImageLayout(String id, int headerBytes, boolean rowMajor) {
    this.id = id;
    this.headerBytes = headerBytes;
    this.columnMajor = !rowMajor;
  }

  /** The name used on the command line and in manifests. */
  public String id() {
    return id;
  }

  public int recordBytes() {
    return headerBytes + PIXEL_BYTES;
  }

  public boolean hasLabel() {
    return headerBytes > 0;
  }

  /** The record's label byte (0-255, unchecked), or {@link #NO_LABEL} for unlabeled layouts. */
  public int label(byte[] record, int offset) {
    return hasLabel() ? record[offset] & 0xff : NO_LABEL;
  }

  /** Copies the record's pixels into {@code pixels} (length 3,072) in canonical order. */
  public void toCanonical(byte[] record, int offset, byte[] pixels) {
    int from = offset + headerBytes;
    if (!columnMajor) {
      System.arraycopy(record, from, pixels, 0, PIXEL_BYTES);
      return;
    }
    for (int ch = 0; ch < 3; ch++) {
      int plane = ch * PLANE;
      for (int col = 0; col < SIDE; col++) {
        int source = from + plane + col * SIDE;
        for (int row = 0; row < SIDE; row++) {
          pixels[plane + row * SIDE + col] = record[source + row];
        }
      }
    }
  }

  /**
   * Writes canonical {@code pixels} as a record of this layout. {@code label} is required (0-255)
   * for labeled layouts and ignored otherwise.
   */
  public void fromCanonical(byte[] pixels, int label, byte[] record, int offset) {
    if (hasLabel()) {
      if (label < 0 || label > 255) {
        throw new IllegalArgumentException("a " + id + " record needs a label byte, got " + label);
      }
      record[offset] = (byte) label;
    }
    int to = offset + headerBytes;
    if (!columnMajor) {
      System.arraycopy(pixels, 0, record, to, PIXEL_BYTES);
      return;
    }
    for (int ch = 0; ch < 3; ch++) {
      int plane = ch * PLANE;
      for (int col = 0; col < SIDE; col++) {
        int target = to + plane + col * SIDE;
        for (int row = 0; row < SIDE; row++) {
          record[target + row] = pixels[plane + row * SIDE + col];
        }
      }
    }
  }

  /** Parses a layout name as given on the command line ({@code cifar} or {@code tiny}). */
  public static ImageLayout of(String id) {
    for (ImageLayout layout : values()) {
      if (layout.id.equals(id == null ? null : id.trim().toLowerCase(Locale.ROOT))) {
        return layout;
      }
    }
    throw new IllegalArgumentException("unknown layout '" + id + "': expected one of "
        + Arrays.stream(values()).map(ImageLayout::id).toList());
  }
}

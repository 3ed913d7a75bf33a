package org.tinytags.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** One 32x32 RGB image in canonical pixel order (see {@link ImageLayout}), with its label if known. */
public final class ImageRecord {
  private final byte[] pixels;
  private final int label;

  private ImageRecord(byte[] pixels, int label) {
    this.pixels = pixels;
    this.label = label;
  }

  /** Reads the record at {@code offset} of {@code bytes}, stored in {@code layout}. */
  public static ImageRecord read(ImageLayout layout, byte[] bytes, int offset) {
    byte[] pixels = new byte[ImageLayout.PIXEL_BYTES];
    layout.toCanonical(bytes, offset, pixels);
    return new ImageRecord(pixels, layout.label(bytes, offset));
  }

  /** Wraps canonical pixels (not copied). */
  public static ImageRecord of(byte[] canonicalPixels, int label) {
    if (canonicalPixels.length != ImageLayout.PIXEL_BYTES) {
      throw new IllegalArgumentException("an image has " + ImageLayout.PIXEL_BYTES
          + " pixel bytes, got " + canonicalPixels.length);
    }
    return new ImageRecord(canonicalPixels, label);
  }

  /** Canonical pixels: byte {@code ch*1024 + row*32 + col}. The array is shared, not copied. */
  public byte[] pixels() {
    return pixels;
  }

  /** The label, or {@link ImageLayout#NO_LABEL}. */
  public int label() {
    return label;
  }

  /** Channel value 0-255 at (row, col); channel 0 = R, 1 = G, 2 = B. */
  public int value(int channel, int row, int col) {
    return pixels[channel * ImageLayout.PLANE + row * ImageLayout.SIDE + col] & 0xff;
  }

  /** Packed 0xRRGGBB at (row, col). */
  public int rgb(int row, int col) {
    return value(0, row, col) << 16 | value(1, row, col) << 8 | value(2, row, col);
  }

  /** Writes this image as a record of {@code layout} into {@code record} at {@code offset}. */
  public void write(ImageLayout layout, byte[] record, int offset) {
    layout.fromCanonical(pixels, label, record, offset);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage image =
        new BufferedImage(ImageLayout.SIDE, ImageLayout.SIDE, BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < ImageLayout.SIDE; row++) {
      for (int col = 0; col < ImageLayout.SIDE; col++) {
        image.setRGB(col, row, rgb(row, col));
      }
    }
    return image;
  }

  /** The upright image as PNG bytes. */
  public byte[] toPng() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      ImageIO.write(toBufferedImage(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed in memory", e);
    }
    return out.toByteArray();
  }
}

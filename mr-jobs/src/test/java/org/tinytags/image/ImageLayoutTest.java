package org.tinytags.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.tinytags.testing.TestCifar;

class ImageLayoutTest {
  private static final int[][] PROBES = {{0, 0}, {0, 31}, {31, 0}, {5, 20}, {20, 5}, {31, 31}};

  /** A CIFAR record whose pixels say where they are: R = row*8, G = col*8, B = 7. */
  private static byte[] gradientCifarRecord(int label) {
    byte[] record = new byte[3073];
    record[0] = (byte) label;
    for (int row = 0; row < 32; row++) {
      for (int col = 0; col < 32; col++) {
        record[1 + row * 32 + col] = (byte) (row * 8);
        record[1 + 1024 + row * 32 + col] = (byte) (col * 8);
        record[1 + 2048 + row * 32 + col] = 7;
      }
    }
    return record;
  }

  @Test
  void recordSizes() {
    assertEquals(3073, ImageLayout.CIFAR.recordBytes());
    assertEquals(3072, ImageLayout.TINY.recordBytes());
    assertTrue(ImageLayout.CIFAR.hasLabel());
    assertEquals(ImageLayout.NO_LABEL, ImageLayout.TINY.label(new byte[3072], 0));
  }

  @Test
  void tinyLayoutStoresEachPlaneColumnMajor() {
    ImageRecord image = ImageRecord.read(ImageLayout.CIFAR, gradientCifarRecord(3), 0);
    byte[] tiny = new byte[3072];
    image.write(ImageLayout.TINY, tiny, 0);
    for (int row = 0; row < 32; row++) {
      for (int col = 0; col < 32; col++) {
        assertEquals(row * 8, tiny[row + 32 * col] & 0xff, "R at row " + row + " col " + col);
        assertEquals(col * 8, tiny[row + 32 * col + 1024] & 0xff, "G at row " + row + " col " + col);
        assertEquals(7, tiny[row + 32 * col + 2048] & 0xff);
      }
    }
  }

  @Test
  void realCifarImageRewrittenAsTinyHasIdenticalCanonicalPixels() {
    byte[] records = TestCifar.testRecords(20);
    for (int i = 0; i < 20; i++) {
      ImageRecord fromCifar = ImageRecord.read(ImageLayout.CIFAR, records, i * 3073);
      byte[] tiny = new byte[3072 + 5];
      fromCifar.write(ImageLayout.TINY, tiny, 5);
      ImageRecord fromTiny = ImageRecord.read(ImageLayout.TINY, tiny, 5);
      assertArrayEquals(fromCifar.pixels(), fromTiny.pixels(), "image " + i);
      // And back to CIFAR, byte for byte, label included.
      byte[] cifarAgain = new byte[3073];
      ImageLayout.CIFAR.fromCanonical(fromTiny.pixels(), fromCifar.label(), cifarAgain, 0);
      assertArrayEquals(java.util.Arrays.copyOfRange(records, i * 3073, (i + 1) * 3073),
          cifarAgain);
    }
  }

  @Test
  void pngFromEitherLayoutIsUpright() throws IOException {
    byte[] cifar = gradientCifarRecord(0);
    byte[] tiny = new byte[3072];
    ImageRecord.read(ImageLayout.CIFAR, cifar, 0).write(ImageLayout.TINY, tiny, 0);
    for (ImageRecord image : new ImageRecord[] {ImageRecord.read(ImageLayout.CIFAR, cifar, 0),
        ImageRecord.read(ImageLayout.TINY, tiny, 0)}) {
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.toPng()));
      assertEquals(32, png.getWidth());
      assertEquals(32, png.getHeight());
      for (int[] p : PROBES) {
        int row = p[0];
        int col = p[1];
        // x is the column, y the row: red grows downwards, green to the right.
        int rgb = png.getRGB(col, row) & 0xffffff;
        assertEquals(row * 8 << 16 | col * 8 << 8 | 7, rgb, "pixel at row " + row + " col " + col);
      }
    }
  }

  @Test
  void pngOfRealImageMatchesRecordBytes() throws IOException {
    byte[] record = TestCifar.testRecords(1);
    byte[] tiny = new byte[3072];
    ImageRecord.read(ImageLayout.CIFAR, record, 0).write(ImageLayout.TINY, tiny, 0);
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(
        ImageRecord.read(ImageLayout.TINY, tiny, 0).toPng()));
    for (int[] p : PROBES) {
      int row = p[0];
      int col = p[1];
      int expected = 0;
      for (int ch = 0; ch < 3; ch++) {
        expected = expected << 8 | record[1 + ch * 1024 + row * 32 + col] & 0xff;
      }
      assertEquals(expected, png.getRGB(col, row) & 0xffffff, "row " + row + " col " + col);
    }
  }

  @Test
  void unknownLayoutNamesTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageLayout.of("png"));
    assertTrue(e.getMessage().contains("cifar") && e.getMessage().contains("tiny"), e.getMessage());
    assertEquals(ImageLayout.TINY, ImageLayout.of(" TINY "));
  }
}

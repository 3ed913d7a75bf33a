package org.tinytags.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.tinytags.image.ImageLayout;
import org.tinytags.image.ImageRecord;
import org.tinytags.testing.TestCifar;

class FeatureExtractorTest {
  private static final String ALL = "raw+hog+hog4+colorhist+layout";

  @Test
  void dimensionsOfEachGroup() {
    assertEquals(3072, FeatureExtractor.of("raw").dimension());
    assertEquals(324, FeatureExtractor.of("hog").dimension());
    assertEquals(1764, FeatureExtractor.of("hog4").dimension());
    assertEquals(72, FeatureExtractor.of("colorhist").dimension());
    assertEquals(48, FeatureExtractor.of("layout").dimension());
    assertEquals(444, FeatureExtractor.of("hog+colorhist+layout").dimension());
    assertEquals("hog+layout", FeatureExtractor.of(" HOG + layout").spec());
  }

  @Test
  void badSpecsAreRefused() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.of("hog+sift"));
    assertTrue(unknown.getMessage().contains("unknown feature group 'sift'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.of("hog+hog"));
    assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.of(""));
  }

  @Test
  void deterministicAndLayoutIndependent() {
    byte[] records = TestCifar.testRecords(50);
    FeatureExtractor first = FeatureExtractor.of(ALL);
    FeatureExtractor second = FeatureExtractor.of(ALL);
    byte[] tiny = new byte[3072];
    double[] previous = null;
    for (int i = 0; i < 50; i++) {
      ImageRecord cifar = ImageRecord.read(ImageLayout.CIFAR, records, i * 3073);
      cifar.write(ImageLayout.TINY, tiny, 0);
      double[] fromCifar = first.extract(cifar.pixels());
      double[] again = first.extract(cifar.pixels());
      double[] fromTiny = second.extract(ImageRecord.read(ImageLayout.TINY, tiny, 0).pixels());
      assertArrayEquals(fromCifar, again, "same extractor, same image, image " + i);
      assertArrayEquals(fromCifar, fromTiny, "cifar and tiny layouts, image " + i);
      assertFalse(Arrays.stream(fromCifar).anyMatch(Double::isNaN), "no NaN, image " + i);
      if (previous != null) {
        assertFalse(Arrays.equals(previous, fromCifar), "different images differ, image " + i);
      }
      previous = fromCifar;
    }
  }

  @Test
  void rawAndLayoutValuesAreThePixels() {
    byte[] pixels = new byte[3072];
    for (int ch = 0; ch < 3; ch++) {
      for (int row = 0; row < 32; row++) {
        for (int col = 0; col < 32; col++) {
          // Red is 200 in the top-left 8x8 tile only; green 100 everywhere.
          int value = ch == 0 ? (row < 8 && col < 8 ? 200 : 0) : ch == 1 ? 100 : 0;
          pixels[ch * 1024 + row * 32 + col] = (byte) value;
        }
      }
    }
    double[] raw = FeatureExtractor.of("raw").extract(pixels);
    assertEquals(200, raw[0]);
    assertEquals(100, raw[1024 + 33]);
    double[] layout = FeatureExtractor.of("layout").extract(pixels);
    assertEquals(200, layout[0], 1e-6);
    assertEquals(0, layout[1], 1e-6);
    assertEquals(100, layout[16 + 7], 1e-6);
    double[] histogram = FeatureExtractor.of("colorhist").extract(pixels);
    assertEquals(1.0, Arrays.stream(histogram).sum(), 1e-9, "a normalised histogram");
  }
}

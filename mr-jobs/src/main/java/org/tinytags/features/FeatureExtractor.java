package org.tinytags.features;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import boofcv.abst.feature.dense.DescribeImageDense;
import boofcv.alg.color.ColorHsv;
import boofcv.alg.feature.color.GHistogramFeatureOps;
import boofcv.alg.feature.color.Histogram_F64;
import boofcv.alg.filter.misc.AverageDownSampleOps;
import boofcv.concurrency.BoofConcurrency;
import boofcv.factory.feature.dense.ConfigDenseHoG;
import boofcv.factory.feature.dense.FactoryDescribeImageDense;
import boofcv.struct.feature.TupleDesc_F64;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.ImageType;
import boofcv.struct.image.Planar;
import org.tinytags.image.ImageLayout;

/**
 * Turns an image (canonical pixels, see {@link ImageLayout}) into the feature vector the forest
 * sees. Training and classification use this one class, and a model stores {@link #spec()} and
 * {@link #VERSION}: a model is refused by an extractor of another version, because changed
 * features would give silently wrong predictions.
 *
 * <p>A spec joins feature groups with {@code +}, e.g. {@code hog+colorhist+layout}. Groups:
 * <ul>
 *   <li>{@code raw}: the 3,072 pixel values (the original project's baseline);
 *   <li>{@code hog}: dense HOG (BoofCV), 8 px cells, 2x2-cell blocks, 9 orientations: 324 values;
 *   <li>{@code hog4}: dense HOG at 4 px cells, the finer scale: 1,764 values;
 *   <li>{@code colorhist}: joint HSV histogram, 8 hue x 3 saturation x 3 value bins, as shares
 *       of the pixels: 72 values;
 *   <li>{@code layout}: mean R, G, B of each 8x8 px tile (4x4 grid): 48 values.
 * </ul>
 * Not thread-safe: it reuses its work images. Use one per thread.
 */
public final class FeatureExtractor {
  /** Bump whenever any group's computation changes. */
  public static final String VERSION = "1";

  private static final int SIDE = ImageLayout.SIDE;

  static {
    // BoofCV hands every operation to a thread pool by default; on 32x32 images that costs six
    // times the work itself (measured: HOG 500 us vs 60 us per image). Tasks are parallel already.
    BoofConcurrency.USE_CONCURRENT = false;
  }

  /** A feature group. */
  public enum Group {
    RAW("raw"), HOG("hog"), HOG4("hog4"), COLOR_HISTOGRAM("colorhist"), COLOR_LAYOUT("layout");

    private final String id;

    Group(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    static Group of(String id) {
      for (Group g : values()) {
        if (g.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
          return g;
        }
      }
      throw new IllegalArgumentException("unknown feature group '" + id + "': expected one of "
          + List.of(values()).stream().map(Group::id).toList());
    }
  }

  private final List<Group> groups;
  private final Planar<GrayF32> rgb = new Planar<>(GrayF32.class, SIDE, SIDE, 3);
  private final Planar<GrayF32> hsv = new Planar<>(GrayF32.class, SIDE, SIDE, 3);
  private final Planar<GrayF32> tiles = new Planar<>(GrayF32.class, 4, 4, 3);
  private final Histogram_F64 histogram = new Histogram_F64(8, 3, 3);
  private DescribeImageDense<Planar<GrayF32>, TupleDesc_F64> hog;
  private DescribeImageDense<Planar<GrayF32>, TupleDesc_F64> hog4;
  private final int dimension;

  private FeatureExtractor(List<Group> groups) {
    this.groups = groups;
    histogram.setRange(0, 0, 2 * Math.PI);
    histogram.setRange(1, 0, 1);
    histogram.setRange(2, 0, 255);
    int size = 0;
    for (Group group : groups) {
      switch (group) {
        case RAW -> size += ImageLayout.PIXEL_BYTES;
        case HOG -> {
          hog = hog(8);
          size += 9 * hog.createDescription().size();
        }
        case HOG4 -> {
          hog4 = hog(4);
          size += 49 * hog4.createDescription().size();
        }
        case COLOR_HISTOGRAM -> size += histogram.size();
        case COLOR_LAYOUT -> size += 3 * 16;
        default -> throw new IllegalStateException(group.toString());
      }
    }
    this.dimension = size;
  }

  private static DescribeImageDense<Planar<GrayF32>, TupleDesc_F64> hog(int pixelsPerCell) {
    ConfigDenseHoG config = new ConfigDenseHoG();
    config.pixelsPerCell = pixelsPerCell;
    config.cellsPerBlockX = 2;
    config.cellsPerBlockY = 2;
    config.orientationBins = 9;
    config.stepBlock = 1;
    config.fastVariant = true;
    return FactoryDescribeImageDense.hog(config, ImageType.pl(3, GrayF32.class));
  }

  /** Parses a spec such as {@code hog+colorhist+layout}. */
  public static FeatureExtractor of(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty feature spec");
    }
    Set<Group> groups = new LinkedHashSet<>();
    for (String part : spec.split("\\+")) {
      if (!groups.add(Group.of(part))) {
        throw new IllegalArgumentException("feature group '" + part + "' given twice");
      }
    }
    return new FeatureExtractor(List.copyOf(groups));
  }

  /** The normalised spec: groups in the order given, joined by {@code +}. */
  public String spec() {
    return String.join("+", groups.stream().map(Group::id).toList());
  }

  public int dimension() {
    return dimension;
  }

  /** Computes the features of {@code pixels} (canonical order) into {@code out[offset..]}. */
  public void extract(byte[] pixels, double[] out, int offset) {
    if (pixels.length != ImageLayout.PIXEL_BYTES) {
      throw new IllegalArgumentException("expected " + ImageLayout.PIXEL_BYTES + " pixel bytes");
    }
    loadRgb(pixels);
    int at = offset;
    for (Group group : groups) {
      at = switch (group) {
        case RAW -> raw(pixels, out, at);
        case HOG -> dense(hog, out, at);
        case HOG4 -> dense(hog4, out, at);
        case COLOR_HISTOGRAM -> colorHistogram(out, at);
        case COLOR_LAYOUT -> colorLayout(out, at);
      };
    }
  }

  /** Convenience for a single image: a new array of {@link #dimension()} values. */
  public double[] extract(byte[] pixels) {
    double[] out = new double[dimension];
    extract(pixels, out, 0);
    return out;
  }

  private void loadRgb(byte[] pixels) {
    for (int ch = 0; ch < 3; ch++) {
      float[] band = rgb.getBand(ch).data;
      int plane = ch * ImageLayout.PLANE;
      for (int i = 0; i < ImageLayout.PLANE; i++) {
        band[i] = pixels[plane + i] & 0xff;
      }
    }
  }

  private static int raw(byte[] pixels, double[] out, int at) {
    for (int i = 0; i < pixels.length; i++) {
      out[at + i] = pixels[i] & 0xff;
    }
    return at + pixels.length;
  }

  private int dense(DescribeImageDense<Planar<GrayF32>, TupleDesc_F64> describer, double[] out,
      int at) {
    describer.process(rgb);
    List<TupleDesc_F64> descriptions = new ArrayList<>(describer.getDescriptions());
    for (TupleDesc_F64 description : descriptions) {
      System.arraycopy(description.data, 0, out, at, description.size());
      at += description.size();
    }
    return at;
  }

  private int colorHistogram(double[] out, int at) {
    ColorHsv.rgbToHsv(rgb, hsv);
    GHistogramFeatureOps.histogram(hsv, histogram);
    // Shares of the image's pixels, not counts.
    for (int i = 0; i < histogram.size(); i++) {
      out[at + i] = histogram.data[i] / ImageLayout.PLANE;
    }
    return at + histogram.size();
  }

  private int colorLayout(double[] out, int at) {
    AverageDownSampleOps.down(rgb, 8, tiles);
    for (int ch = 0; ch < 3; ch++) {
      float[] band = tiles.getBand(ch).data;
      for (int i = 0; i < 16; i++) {
        out[at++] = band[i];
      }
    }
    return at;
  }
}

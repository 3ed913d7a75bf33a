package org.tinytags.train;

import java.util.List;

import org.apache.mahout.classifier.df.data.Data;
import org.apache.mahout.classifier.df.data.DataLoader;
import org.apache.mahout.classifier.df.data.Dataset;
import org.apache.mahout.classifier.df.data.DescriptorException;
import org.apache.mahout.classifier.df.data.Instance;
import org.apache.mahout.math.DenseVector;
import org.tinytags.features.FeatureExtractor;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;

/**
 * The bridge between feature vectors and Mahout's data model: every attribute numerical, the
 * label last. A row is a {@code double[attributes + 1]} whose last slot holds the label code.
 *
 * <p>Mahout codes labels in order of first appearance. The dataset is generated from ten
 * synthetic rows labelled 0..9 in order, so code i is CIFAR-10 label i; {@link #dataset} checks
 * that rather than trusting it, and the model stores the mapping explicitly as well.
 */
public final class ForestData {
  private ForestData() {}

  /** A dataset of {@code attributes} numerical attributes and CIFAR-10's labels as codes 0-9. */
  public static Dataset dataset(int attributes) {
    StringBuilder descriptor = new StringBuilder(attributes * 2 + 1);
    descriptor.append("N ".repeat(attributes)).append('L');
    String zeros = "0,".repeat(attributes);
    String[] rows = new String[CifarClasses.COUNT];
    for (int label = 0; label < rows.length; label++) {
      rows[label] = zeros + label;
    }
    Dataset dataset;
    try {
      dataset = DataLoader.generateDataset(descriptor, false, rows);
    } catch (DescriptorException e) {
      throw new IllegalStateException("a descriptor of N and L tokens is always valid", e);
    }
    for (int label = 0; label < CifarClasses.COUNT; label++) {
      if (dataset.labelCode(Integer.toString(label)) != label) {
        throw new IllegalStateException("Mahout coded label " + label + " as "
            + dataset.labelCode(Integer.toString(label)));
      }
    }
    return dataset;
  }

  /** A row of {@code attributes} features plus the label slot, ready for {@link #instance}. */
  public static double[] newRow(int attributes) {
    return new double[attributes + 1];
  }

  /** Wraps a row (not copied); {@code label} goes into the last slot. */
  public static Instance instance(double[] row, int label) {
    row[row.length - 1] = label;
    return new Instance(new DenseVector(row, true));
  }

  public static Data data(Dataset dataset, List<Instance> instances) {
    return new Data(dataset, instances);
  }

  /** Makes rows from records of any layout with one extractor. Not thread-safe. */
  public static final class RowMaker {
    private final FeatureExtractor extractor;
    private final byte[] pixels = new byte[ImageLayout.PIXEL_BYTES];

    public RowMaker(FeatureExtractor extractor) {
      this.extractor = extractor;
    }

    /** A new row for the record at {@code offset} of {@code records}, label slot empty. */
    public double[] row(ImageLayout layout, byte[] records, int offset) {
      layout.toCanonical(records, offset, pixels);
      double[] row = newRow(extractor.dimension());
      extractor.extract(pixels, row, 0);
      return row;
    }
  }
}

package org.tinytags.train;

import java.io.DataInput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Mahout's trees laid out in flat arrays, for classification without Mahout's per-call objects
 * ({@code Data}, {@code Instance}, {@code DenseVector}) and virtual calls per node. Built from
 * the very bytes of {@code forest.bin} (Mahout's Writable form: tree count, then each tree as
 * type ordinal + fields, depth first), and it decides every node exactly as Mahout's
 * {@code NumericalNode} does: {@code value < split} goes low, anything else (NaN included) high.
 * Tests hold its votes equal to Mahout's own.
 */
final class FlatForest {
  private static final int LEAF = 0;
  private static final int NUMERICAL = 1;

  private final int[] roots;
  /** Attribute tested by each node, or -1 for a leaf. */
  private final int[] attribute;
  /** Split value of a node, or the label code of a leaf. */
  private final double[] value;
  private final int[] low;
  private final int[] high;

  private FlatForest(int[] roots, int[] attribute, double[] value, int[] low, int[] high) {
    this.roots = roots;
    this.attribute = attribute;
    this.value = value;
    this.low = low;
    this.high = high;
  }

  /** Reads a forest written by Mahout's {@code DecisionForest.write}. */
  static FlatForest read(DataInput in) throws IOException {
    int trees = in.readInt();
    if (trees <= 0) {
      throw new IOException("a forest of " + trees + " trees");
    }
    Builder builder = new Builder();
    int[] roots = new int[trees];
    for (int t = 0; t < trees; t++) {
      roots[t] = builder.node(in);
    }
    return builder.build(roots);
  }

  int trees() {
    return roots.length;
  }

  /** Adds each tree's vote for {@code features} to {@code votes[label]}. */
  void vote(double[] features, int[] votes) {
    for (int root : roots) {
      int node = root;
      while (attribute[node] >= 0) {
        node = features[attribute[node]] < value[node] ? low[node] : high[node];
      }
      double label = value[node];
      // Mahout's builder makes NaN leaves for empty data; such a tree abstains.
      if (label >= 0) {
        votes[(int) label]++;
      }
    }
  }

  /** Appends nodes depth first, as they are read. */
  private static final class Builder {
    private int size;
    private int[] attribute = new int[1024];
    private double[] value = new double[1024];
    private int[] low = new int[1024];
    private int[] high = new int[1024];

    int node(DataInput in) throws IOException {
      int type = in.readInt();
      int index = size++;
      grow();
      switch (type) {
        case LEAF -> {
          attribute[index] = -1;
          value[index] = in.readDouble();
        }
        case NUMERICAL -> {
          attribute[index] = in.readInt();
          value[index] = in.readDouble();
          // Children first, then store: reading them may reallocate the arrays.
          int lowChild = node(in);
          int highChild = node(in);
          low[index] = lowChild;
          high[index] = highChild;
        }
        default -> throw new IOException("unsupported tree node type " + type
            + " (TinyTags forests have numerical attributes only)");
      }
      return index;
    }

    private void grow() {
      if (size > attribute.length) {
        int capacity = attribute.length * 2;
        attribute = Arrays.copyOf(attribute, capacity);
        value = Arrays.copyOf(value, capacity);
        low = Arrays.copyOf(low, capacity);
        high = Arrays.copyOf(high, capacity);
      }
    }

    FlatForest build(int[] roots) {
      return new FlatForest(roots, Arrays.copyOf(attribute, size), Arrays.copyOf(value, size),
          Arrays.copyOf(low, size), Arrays.copyOf(high, size));
    }
  }
}

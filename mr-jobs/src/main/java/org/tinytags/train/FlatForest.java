package org.tinytags.train;

import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Mahout's trees laid out in one flat array, for classification without Mahout's per-call
 * objects ({@code Data}, {@code Instance}, {@code DenseVector}) and pointer chasing. Built from
 * the very bytes of {@code forest.bin} (Mahout's Writable form: tree count, then each tree as
 * type ordinal + fields, depth first). Every node decides exactly as Mahout's
 * {@code NumericalNode}: {@code value < split} goes low, anything else (NaN included) high.
 * Tests hold its votes equal to Mahout's own.
 *
 * <p>Layout: two longs per node, the split (or leaf label) as raw double bits, then the
 * attribute (high 32 bits, -1 for a leaf) and the index of the low child; the high child
 * follows the low one. One node is 16 bytes and siblings share cache lines.
 */
final class FlatForest {
  private static final int LEAF = 0;
  private static final int NUMERICAL = 1;

  private final int[] roots;
  private final long[] nodes;

  private FlatForest(int[] roots, long[] nodes) {
    this.roots = roots;
    this.nodes = nodes;
  }

  /** Reads a forest written by Mahout's {@code DecisionForest.write}. */
  static FlatForest read(DataInput in) throws IOException {
    int trees = in.readInt();
    if (trees <= 0) {
      throw new IOException("a forest of " + trees + " trees");
    }
    List<Node> parsed = new ArrayList<>(trees);
    int count = 0;
    for (int t = 0; t < trees; t++) {
      Node root = Node.read(in);
      parsed.add(root);
      count += root.size();
    }
    long[] nodes = new long[2 * count];
    int[] roots = new int[trees];
    int next = 0;
    for (int t = 0; t < trees; t++) {
      roots[t] = next;
      next = parsed.get(t).layOut(nodes, next, next + 1);
    }
    return new FlatForest(roots, nodes);
  }

  int trees() {
    return roots.length;
  }

  /** Rows walked through a tree side by side, so their node loads overlap in memory. */
  private static final int LANES = 16;

  /**
   * Adds each tree's vote for each row to {@code votes[row][label]}. The forest is far larger
   * than the caches and each step down a tree waits on memory, so rows go through a tree
   * {@link #LANES} at a time, in lockstep: their independent loads are in flight together.
   */
  void vote(List<double[]> rows, int[][] votes) {
    long[] nodes = this.nodes;
    int[] at = new int[LANES];
    double[][] lanes = new double[LANES][];
    for (int root : roots) {
      for (int first = 0; first < votes.length; first += LANES) {
        int width = Math.min(LANES, votes.length - first);
        for (int lane = 0; lane < width; lane++) {
          at[lane] = root;
          lanes[lane] = rows.get(first + lane);
        }
        int walking = width;
        while (walking > 0) {
          walking = 0;
          for (int lane = 0; lane < width; lane++) {
            int node = at[lane];
            long link = nodes[2 * node + 1];
            int attribute = (int) (link >> 32);
            if (attribute >= 0) {
              int low = (int) link;
              at[lane] = lanes[lane][attribute] < Double.longBitsToDouble(nodes[2 * node])
                  ? low : low + 1;
              walking++;
            }
          }
        }
        for (int lane = 0; lane < width; lane++) {
          double label = Double.longBitsToDouble(nodes[2 * at[lane]]);
          // Mahout's builder makes NaN leaves for empty data; such a tree abstains.
          if (label >= 0) {
            votes[first + lane][(int) label]++;
          }
        }
      }
    }
  }

  /** A tree as read, before it is laid out. */
  private record Node(int attribute, double value, Node low, Node high) {
    static Node read(DataInput in) throws IOException {
      int type = in.readInt();
      return switch (type) {
        case LEAF -> new Node(-1, in.readDouble(), null, null);
        case NUMERICAL -> {
          int attribute = in.readInt();
          double split = in.readDouble();
          Node low = read(in);
          Node high = read(in);
          yield new Node(attribute, split, low, high);
        }
        default -> throw new IOException("unsupported tree node type " + type
            + " (TinyTags forests have numerical attributes only)");
      };
    }

    int size() {
      return low == null ? 1 : 1 + low.size() + high.size();
    }

    /**
     * Writes this node at {@code at} and its subtree from {@code free} on, children as a pair;
     * returns the next free index.
     */
    int layOut(long[] nodes, int at, int free) {
      nodes[2 * at] = Double.doubleToRawLongBits(value);
      if (low == null) {
        nodes[2 * at + 1] = -1L << 32;
        return free;
      }
      int lowAt = free;
      nodes[2 * at + 1] = (long) attribute << 32 | (lowAt & 0xffffffffL);
      int next = low.layOut(nodes, lowAt, lowAt + 2);
      return high.layOut(nodes, lowAt + 1, next);
    }
  }
}

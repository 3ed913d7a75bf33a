package org.tinytags.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Parses a block list such as {@code 3,7-9} into sorted, distinct block numbers. */
public final class BlockSelection {
  private BlockSelection() {}

  public static List<Integer> parse(String spec, int blocks) {
    TreeSet<Integer> selected = new TreeSet<>();
    for (String part : spec.split(",")) {
      String range = part.trim();
      if (range.isEmpty()) {
        throw new IllegalArgumentException("empty entry in block list '" + spec + "'");
      }
      String[] ends = range.split("-", -1);
      if (ends.length > 2) {
        throw new IllegalArgumentException("bad range '" + range + "'");
      }
      int from = number(ends[0], range);
      int to = ends.length == 2 ? number(ends[1], range) : from;
      if (to < from) {
        throw new IllegalArgumentException("range '" + range + "' runs backwards");
      }
      if (to >= blocks) {
        throw new IllegalArgumentException("block " + to + " does not exist: the corpus has "
            + blocks + " blocks, 0-" + (blocks - 1));
      }
      for (int b = from; b <= to; b++) {
        selected.add(b);
      }
    }
    return new ArrayList<>(selected);
  }

  private static int number(String text, String range) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + range + "' is not a block number or range");
    }
  }

  /** The inverse of {@link #parse}: ascending blocks as {@code 0-3,7,9-12} (empty if none). */
  public static String format(List<Integer> sorted) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sorted.size(); i++) {
      int start = sorted.get(i);
      while (i + 1 < sorted.size() && sorted.get(i + 1) == sorted.get(i) + 1) {
        i++;
      }
      text.append(text.length() == 0 ? "" : ",").append(start)
          .append(start == sorted.get(i) ? "" : "-" + sorted.get(i));
    }
    return text.toString();
  }
}

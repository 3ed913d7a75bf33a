package org.tinytags.web;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tinytags.image.CifarClasses;

/**
 * A parsed and checked {@code /api/search} request. Nothing a client sends reaches Solr as text:
 * tags become class names from {@link CifarClasses}, the rest whole numbers in range.
 *
 * @param tags the classes asked for, in CIFAR-10 order; empty means all
 * @param min least agreement in percent, 0-100
 * @param max greatest agreement in percent, min-100
 * @param page 1-based page of {@link #PAGE_SIZE} images
 */
public record SearchRequest(List<String> tags, int min, int max, int page) {
  public static final int PAGE_SIZE = 30;
  /**
   * The deepest result the API pages to: a page past it would make Solr collect and sort that
   * many documents for every shard, in the serving JVM. Narrower searches reach the rest.
   */
  public static final int MAX_RESULTS = 10_000;
  /** The deepest page served: the last whole page within {@link #MAX_RESULTS} (result 9,990). */
  public static final int MAX_PAGE = MAX_RESULTS / PAGE_SIZE;
  /** The longest parameter value taken (all ten tags, comma-separated, fit many times). */
  public static final int MAX_PARAMETER_LENGTH = 200;
  private static final Set<String> PARAMETERS = Set.of("tags", "min", "max", "page");

  public SearchRequest {
    tags = List.copyOf(tags);
  }

  public static SearchRequest parse(Map<String, Deque<String>> params) throws ApiException {
    for (Map.Entry<String, Deque<String>> param : params.entrySet()) {
      if (!PARAMETERS.contains(param.getKey())) {
        throw ApiException.badRequest("unknown parameter '" + param.getKey()
            + "'; the parameters are tags, min, max and page");
      }
      if (param.getValue().size() > 1) {
        throw ApiException.badRequest("parameter '" + param.getKey() + "' is given "
            + param.getValue().size() + " times");
      }
      if (param.getValue().getFirst().length() > MAX_PARAMETER_LENGTH) {
        throw ApiException.badRequest("parameter '" + param.getKey() + "' is longer than "
            + MAX_PARAMETER_LENGTH + " characters");
      }
    }
    List<String> tags = tags(single(params, "tags"));
    int min = number(params, "min", 0, 0, 100);
    int max = number(params, "max", 100, 0, 100);
    if (min > max) {
      throw ApiException.badRequest("min (" + min + ") is greater than max (" + max + ")");
    }
    int page = number(params, "page", 1, 1, Integer.MAX_VALUE);
    if (page > MAX_PAGE) {
      throw ApiException.badRequest("page " + page + " is past the deepest page served ("
          + MAX_PAGE + ", images 1-" + MAX_PAGE * PAGE_SIZE + " of a search): narrow the "
          + "search by tags or agreement to reach the others");
    }
    return new SearchRequest(tags, min, max, page);
  }

  private static String single(Map<String, Deque<String>> params, String name) {
    Deque<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private static List<String> tags(String text) throws ApiException {
    boolean[] wanted = new boolean[CifarClasses.COUNT];
    if (text != null && !text.isBlank()) {
      for (String part : text.split(",")) {
        String tag = part.trim();
        int label = CifarClasses.NAMES.indexOf(tag);
        if (label < 0) {
          throw ApiException.badRequest("unknown tag '" + abbreviate(tag) + "'; the tags are "
              + String.join(", ", CifarClasses.NAMES));
        }
        wanted[label] = true;
      }
    }
    List<String> tags = new ArrayList<>();
    for (int label = 0; label < CifarClasses.COUNT; label++) {
      if (wanted[label]) {
        tags.add(CifarClasses.name(label));
      }
    }
    return tags;
  }

  private static int number(Map<String, Deque<String>> params, String name, int defaultValue,
      int low, int high) throws ApiException {
    String text = single(params, name);
    if (text == null || text.isBlank()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, not '" + abbreviate(text)
          + "'");
    }
    if (value < low || value > high) {
      throw ApiException.badRequest(name + " must be " + (high == Integer.MAX_VALUE
          ? "at least " + low : "between " + low + " and " + high) + ", not " + value);
    }
    return value;
  }

  /** Echoes at most 40 characters of what a client sent. */
  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}

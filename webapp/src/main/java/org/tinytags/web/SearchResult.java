package org.tinytags.web;

import java.util.List;
import java.util.Map;

/**
 * The {@code /api/search} response. Its JSON keys are a published contract: extend, never
 * rename.
 *
 * @param total images matching tags and agreement
 * @param page this page, 1-based
 * @param pages pages in all (at least 1)
 * @param pageSize images per page
 * @param counts images per tag under the agreement range, whatever tags are selected
 * @param images this page's images, highest agreement first
 * @param maxPage the deepest page the API serves ({@link SearchRequest#MAX_PAGE}); pages past
 *     it are reached by narrowing the search
 */
public record SearchResult(long total, int page, int pages, int pageSize,
    Map<String, Long> counts, List<Image> images, int maxPage) {

  /**
   * One tagged image.
   *
   * @param id global image index
   * @param label its tag
   * @param agreement share of trees voting for the tag, whole percent
   * @param block block number
   * @param offset byte offset of its record in the block file
   * @param votes trees voting for the tag
   * @param trees trees in the forest
   * @param classVotes trees voting for each tag, in CIFAR-10 order
   */
  public record Image(long id, String label, int agreement, int block, long offset, int votes,
      int trees, Map<String, Integer> classVotes) {}
}

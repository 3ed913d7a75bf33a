package org.tinytags.solr;

import org.tinytags.image.CifarClasses;

/**
 * The Solr field names of the TinyTags index (see the configset's schema.xml). Published: the web
 * app, scripts and Hue dashboards query them; extend, never rename.
 */
public final class IndexFields {
  public static final String ID = "id";
  public static final String IMAGE = "image";
  public static final String BLOCK = "block";
  public static final String OFFSET = "offset";
  public static final String LABEL = "label";
  public static final String AGREEMENT = "agreement";
  public static final String VOTES = "votes";
  public static final String TREES = "trees";
  /** The index job's run that built the document (lineage; go-live keys on it). */
  public static final String INDEX_RUN = "index_run";
  /** SHA-256 of the split's {@code _manifest.json}. */
  public static final String SPLIT_SHA256 = "split_sha256";
  /** SHA-256 of the forest that tagged the image. */
  public static final String FOREST_SHA256 = "forest_sha256";
  /** The least share of trees agreeing that made the image tagged (0-1). */
  public static final String MIN_AGREEMENT = "min_agreement";
  private static final String CLASS_VOTES_PREFIX = "votes_";
  /**
   * The search page's order, and the order of the documents in every segment (solrconfig.xml's
   * SortingMergePolicyFactory says the same): ranking a search's matches then stops comparing
   * once a segment's first page is found. {@code _index.json} records it as {@code indexSort}.
   */
  public static final String INDEX_SORT = AGREEMENT + " desc," + IMAGE + " asc";

  private IndexFields() {}

  /** {@code votes_cat}: trees voting for class {@code label}. */
  public static String classVotes(int label) {
    return CLASS_VOTES_PREFIX + CifarClasses.name(label);
  }
}

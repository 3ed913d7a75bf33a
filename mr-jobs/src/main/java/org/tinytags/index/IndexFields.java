package org.tinytags.index;

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
  private static final String CLASS_VOTES_PREFIX = "votes_";

  private IndexFields() {}

  /** {@code votes_cat}: trees voting for class {@code label}. */
  public static String classVotes(int label) {
    return CLASS_VOTES_PREFIX + CifarClasses.name(label);
  }
}

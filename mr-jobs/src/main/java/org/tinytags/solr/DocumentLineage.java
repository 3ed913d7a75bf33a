package org.tinytags.solr;

import org.apache.hadoop.conf.Configuration;
import org.apache.solr.common.SolrInputDocument;

/**
 * The lineage every document of one index run carries (see {@link IndexLineage}).
 *
 * @param indexRun the run's id
 * @param splitSha256 SHA-256 of the split's manifest
 * @param forestSha256 SHA-256 of the forest
 * @param minAgreement the agreement threshold the documents passed
 */
public record DocumentLineage(String indexRun, String splitSha256, String forestSha256,
    double minAgreement) {
  private static final String PREFIX = "tinytags.index.lineage.";

  public void addTo(SolrInputDocument doc) {
    doc.setField(IndexFields.INDEX_RUN, indexRun);
    doc.setField(IndexFields.SPLIT_SHA256, splitSha256);
    doc.setField(IndexFields.FOREST_SHA256, forestSha256);
    doc.setField(IndexFields.MIN_AGREEMENT, (float) minAgreement);
  }

  public void set(Configuration conf) {
    conf.set(PREFIX + "run", indexRun);
    conf.set(PREFIX + "split", splitSha256);
    conf.set(PREFIX + "forest", forestSha256);
    conf.setDouble(PREFIX + "min-agreement", minAgreement);
  }

  /** The lineage {@link #set} in {@code conf}. */
  public static DocumentLineage get(Configuration conf) {
    String run = conf.get(PREFIX + "run");
    if (run == null) {
      throw new IllegalStateException("the job configuration carries no index lineage");
    }
    return new DocumentLineage(run, conf.get(PREFIX + "split"), conf.get(PREFIX + "forest"),
        conf.getDouble(PREFIX + "min-agreement", Double.NaN));
  }
}

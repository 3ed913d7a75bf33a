package org.tinytags.solr;

import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.solr.common.SolrInputDocument;

/**
 * The lineage the documents of one index run carry (see {@link IndexLineage}): the run, the
 * split, and per block the forest and threshold its rows passed (blocks classify re-ran with
 * another forest or threshold differ from the rest).
 *
 * @param indexRun the run's id
 * @param splitSha256 SHA-256 of the split's manifest
 * @param forestSha256 SHA-256 of the forest, for blocks not in {@code blockForests}
 * @param minAgreement the agreement threshold, for blocks not in {@code blockMinAgreements}
 * @param blockForests blocks tagged by another forest
 * @param blockMinAgreements blocks that passed another threshold
 */
public record DocumentLineage(String indexRun, String splitSha256, String forestSha256,
    double minAgreement, Map<Integer, String> blockForests,
    Map<Integer, Double> blockMinAgreements) {
  private static final String PREFIX = "tinytags.index.lineage.";

  public DocumentLineage {
    blockForests = Map.copyOf(blockForests);
    blockMinAgreements = Map.copyOf(blockMinAgreements);
  }

  public void addTo(SolrInputDocument doc, int block) {
    doc.setField(IndexFields.INDEX_RUN, indexRun);
    doc.setField(IndexFields.SPLIT_SHA256, splitSha256);
    doc.setField(IndexFields.FOREST_SHA256, blockForests.getOrDefault(block, forestSha256));
    doc.setField(IndexFields.MIN_AGREEMENT,
        (float) (double) blockMinAgreements.getOrDefault(block, minAgreement));
  }

  public void set(Configuration conf) {
    conf.set(PREFIX + "run", indexRun);
    conf.set(PREFIX + "split", splitSha256);
    conf.set(PREFIX + "forest", forestSha256);
    conf.setDouble(PREFIX + "min-agreement", minAgreement);
    conf.set(PREFIX + "block-forests", join(blockForests));
    conf.set(PREFIX + "block-min-agreements", join(blockMinAgreements));
  }

  /** The lineage {@link #set} in {@code conf}. */
  public static DocumentLineage get(Configuration conf) {
    String run = conf.get(PREFIX + "run");
    if (run == null) {
      throw new IllegalStateException("the job configuration carries no index lineage");
    }
    Map<Integer, String> forests = new TreeMap<>();
    split(conf.get(PREFIX + "block-forests", "")).forEach(forests::put);
    Map<Integer, Double> thresholds = new TreeMap<>();
    split(conf.get(PREFIX + "block-min-agreements", ""))
        .forEach((block, value) -> thresholds.put(block, Double.parseDouble(value)));
    return new DocumentLineage(run, conf.get(PREFIX + "split"), conf.get(PREFIX + "forest"),
        conf.getDouble(PREFIX + "min-agreement", Double.NaN), forests, thresholds);
  }

  /** {@code 3=value,7=value}. */
  private static String join(Map<Integer, ?> perBlock) {
    StringBuilder text = new StringBuilder();
    perBlock.forEach((block, value) -> text.append(text.length() == 0 ? "" : ",")
        .append(block).append('=').append(value));
    return text.toString();
  }

  private static Map<Integer, String> split(String text) {
    Map<Integer, String> perBlock = new TreeMap<>();
    for (String entry : text.split(",")) {
      if (!entry.isEmpty()) {
        int at = entry.indexOf('=');
        perBlock.put(Integer.parseInt(entry.substring(0, at)), entry.substring(at + 1));
      }
    }
    return perBlock;
  }
}

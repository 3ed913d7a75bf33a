package org.tinytags.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.response.json.BucketBasedJsonFacet;
import org.apache.solr.client.solrj.response.json.BucketJsonFacet;
import org.apache.solr.client.solrj.response.json.NestableJsonFacet;

/**
 * What a core or collection holds, read back from its documents' lineage fields (index run,
 * split, forest, threshold) with one JSON facet request. Kept in the documents themselves, the
 * lineage changes in the same commit as they do: it can never say one thing while the index
 * holds another.
 *
 * @param documents documents in all
 * @param runs the index runs the documents come from, by run id
 */
public record IndexLineage(long documents, List<Run> runs) {
  private static final String FACET = "{runs:{type:terms,field:" + IndexFields.INDEX_RUN
      + ",limit:-1,sort:'index asc',facet:{"
      + "split:{type:terms,field:" + IndexFields.SPLIT_SHA256 + ",limit:2},"
      + "forest:{type:terms,field:" + IndexFields.FOREST_SHA256 + ",limit:-1},"
      + "threshold:{type:terms,field:" + IndexFields.MIN_AGREEMENT + ",limit:-1},"
      + "blocks:{type:terms,field:" + IndexFields.BLOCK + ",limit:-1,sort:'index asc'}}}}";

  /**
   * One index run's documents in the index.
   *
   * @param indexRun the run's id ({@code _index.json}'s {@code indexRun})
   * @param splitSha256 SHA-256 of its split's manifest
   * @param forests SHA-256 of the forests that tagged its images (one, unless classify re-ran
   *     blocks with another)
   * @param minAgreements the thresholds its documents passed (likewise)
   * @param documents its documents
   * @param blocks its documents per block
   */
  public record Run(String indexRun, String splitSha256, List<String> forests,
      List<Double> minAgreements, long documents, SortedMap<Integer, Long> blocks) {
    public Run {
      forests = List.copyOf(forests);
      minAgreements = List.copyOf(minAgreements);
      blocks = Collections.unmodifiableSortedMap(new TreeMap<>(blocks));
    }
  }

  public IndexLineage {
    runs = List.copyOf(runs);
  }

  /** Reads the lineage of {@code target}'s documents. */
  public static IndexLineage read(SolrTarget target) throws IOException {
    SolrQuery query = new SolrQuery("*:*").setRows(0);
    query.set("json.facet", FACET);
    SolrClient client = target.client();
    QueryResponse response;
    try {
      response = client.query(target.collection(), query);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw new IOException(target.describe() + ": reading what it holds failed: "
          + SolrClients.failure(client, e), e);
    }
    List<Run> runs = new ArrayList<>();
    NestableJsonFacet facets = response.getJsonFacetingResponse();
    BucketBasedJsonFacet runBuckets = facets == null ? null : facets.getBucketBasedFacets("runs");
    if (runBuckets != null) {
      for (BucketJsonFacet run : runBuckets.getBuckets()) {
        SortedMap<Integer, Long> blocks = new TreeMap<>();
        for (BucketJsonFacet block : run.getBucketBasedFacets("blocks").getBuckets()) {
          blocks.put(((Number) block.getVal()).intValue(), block.getCount());
        }
        List<String> split = values(run, "split").stream().map(String::valueOf).toList();
        List<String> forests = values(run, "forest").stream().map(String::valueOf).toList();
        // Stored as floats: 0.6f reads back as 0.6000000238; four places say what was meant.
        List<Double> thresholds = values(run, "threshold").stream()
            .map(v -> Math.round(((Number) v).doubleValue() * 10_000) / 10_000.0).toList();
        runs.add(new Run(String.valueOf(run.getVal()), split.size() == 1 ? split.get(0) : null,
            forests, thresholds, run.getCount(), blocks));
      }
    }
    return new IndexLineage(response.getResults().getNumFound(), runs);
  }

  /** The values a run's documents have for a lineage field. */
  private static List<Object> values(BucketJsonFacet run, String facet) {
    BucketBasedJsonFacet values = run.getBucketBasedFacets(facet);
    List<Object> found = new ArrayList<>();
    if (values != null) {
      for (BucketJsonFacet value : values.getBuckets()) {
        found.add(value.getVal());
      }
    }
    return found;
  }

  /** The run {@code indexRun}, or null if none of its documents is in the index. */
  public Run run(String indexRun) {
    return runs.stream().filter(r -> r.indexRun().equals(indexRun)).findFirst().orElse(null);
  }

  /** Documents without lineage (indexed before TinyTags recorded it). */
  public long documentsWithoutLineage() {
    return documents - runs.stream().mapToLong(Run::documents).sum();
  }

  /** The splits the documents come from (SHA-256 of their manifests). */
  public TreeSet<String> splits() {
    TreeSet<String> splits = new TreeSet<>();
    for (Run run : runs) {
      if (run.splitSha256() != null) {
        splits.add(run.splitSha256());
      }
    }
    return splits;
  }

  /** Documents per block over all runs. */
  public SortedMap<Integer, Long> blocks() {
    SortedMap<Integer, Long> blocks = new TreeMap<>();
    for (Run run : runs) {
      run.blocks().forEach((block, count) -> blocks.merge(block, count, Long::sum));
    }
    return blocks;
  }

  /**
   * Blocks whose documents come from more than one run: a go-live was cut off between merging
   * and committing while someone else committed. Going live with those blocks again mends them.
   */
  public SortedMap<Integer, List<String>> mixedBlocks() {
    SortedMap<Integer, List<String>> owners = new TreeMap<>();
    for (Run run : runs) {
      for (Map.Entry<Integer, Long> block : run.blocks().entrySet()) {
        owners.computeIfAbsent(block.getKey(), b -> new ArrayList<>()).add(run.indexRun());
      }
    }
    owners.values().removeIf(runs -> runs.size() < 2);
    return owners;
  }
}

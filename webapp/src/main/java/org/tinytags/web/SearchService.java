package org.tinytags.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.FacetField;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CommonParams;
import org.tinytags.image.CifarClasses;
import org.tinytags.solr.IndexFields;
import org.tinytags.classify.BlockSelection;
import org.tinytags.solr.IndexLineage;
import org.tinytags.solr.SolrClients;
import org.tinytags.solr.SolrTarget;

/** Turns checked requests into Solr queries on the TinyTags core, and Solr's answers into ours. */
public class SearchService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      SearchService.class);
  private static final String LABEL_TAG = "labels";
  private static final String FIELDS;

  static {
    List<String> fields = new ArrayList<>(List.of(IndexFields.ID, IndexFields.BLOCK,
        IndexFields.OFFSET, IndexFields.LABEL, IndexFields.AGREEMENT, IndexFields.VOTES,
        IndexFields.TREES));
    for (int label = 0; label < CifarClasses.COUNT; label++) {
      fields.add(IndexFields.classVotes(label));
    }
    FIELDS = String.join(",", fields);
  }

  private final SolrTarget target;

  public SearchService(SolrTarget target) {
    this.target = target;
  }

  public SearchResult search(SearchRequest request) throws ApiException, IOException {
    SolrQuery query = new SolrQuery("*:*");
    if (!request.tags().isEmpty()) {
      // Tagged so the tag facet can leave it out: counts per tag follow the other filters only.
      query.addFilterQuery("{!terms f=" + IndexFields.LABEL + " tag=" + LABEL_TAG + "}"
          + String.join(",", request.tags()));
    }
    if (request.min() > 0 || request.max() < 100) {
      query.addFilterQuery(IndexFields.AGREEMENT + ":[" + request.min() + " TO "
          + request.max() + "]");
    }
    query.setFacet(true);
    query.addFacetField("{!ex=" + LABEL_TAG + "}" + IndexFields.LABEL);
    query.setFacetMinCount(0);
    query.setFacetLimit(CifarClasses.COUNT);
    // Ten labels: counting by term (each label's documents a cached bitset, intersected with
    // the matches) costs a few bitset ANDs; counting by docValues reads every match's label,
    // a third of a search's time at a million images (measured with JFR under bench search).
    query.set("f." + IndexFields.LABEL + ".facet.method", "enum");
    // The index's own order: past each segment's first page, matches are only counted.
    query.set(CommonParams.SORT, IndexFields.INDEX_SORT);
    query.setStart((request.page() - 1) * SearchRequest.PAGE_SIZE);
    query.setRows(SearchRequest.PAGE_SIZE);
    query.setFields(FIELDS);
    QueryResponse response = query(query);

    long total = response.getResults().getNumFound();
    int pages = (int) Math.max(1, (total + SearchRequest.PAGE_SIZE - 1) / SearchRequest.PAGE_SIZE);
    if (request.page() > pages) {
      throw ApiException.notFound("page " + request.page() + " is past the last page (" + pages
          + ") of " + total + " images");
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String name : CifarClasses.NAMES) {
      counts.put(name, 0L);
    }
    FacetField labels = response.getFacetField(IndexFields.LABEL);
    if (labels != null && labels.getValues() != null) {
      for (FacetField.Count count : labels.getValues()) {
        counts.computeIfPresent(count.getName(), (name, zero) -> count.getCount());
      }
    }
    List<SearchResult.Image> images = new ArrayList<>();
    for (SolrDocument doc : response.getResults()) {
      images.add(image(doc));
    }
    return new SearchResult(total, request.page(), pages, SearchRequest.PAGE_SIZE, counts,
        images, SearchRequest.MAX_PAGE);
  }

  /** One indexed image by id, or a 404. */
  public SearchResult.Image image(long id) throws ApiException, IOException {
    SolrQuery query = new SolrQuery("*:*");
    query.addFilterQuery("{!term f=" + IndexFields.ID + "}" + id);
    query.setFields(FIELDS);
    query.setRows(1);
    QueryResponse response = query(query);
    if (response.getResults().isEmpty()) {
      throw ApiException.notFound("image " + id + " is not in the index (not tagged, or no such "
          + "image)");
    }
    return image(response.getResults().get(0));
  }

  /** Documents in the core or collection. */
  public long size() throws IOException {
    try {
      return target.client().query(target.collection(), new SolrQuery("*:*").setRows(0))
          .getResults().getNumFound();
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException(target.describe() + ": " + SolrClients.causes(e), e);
    }
  }

  /**
   * What the index holds ({@code /api/status}): documents, and per index run its split, forest,
   * threshold and blocks, read from the documents' lineage fields.
   */
  public Map<String, Object> status() throws ApiException {
    IndexLineage lineage;
    try {
      lineage = IndexLineage.read(target);
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("collection", target.collection());
    status.put("solrCloud", target.isCloud());
    status.put("documents", lineage.documents());
    status.put("splits", lineage.splits());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (IndexLineage.Run run : lineage.runs()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("indexRun", run.indexRun());
      entry.put("splitSha256", run.splitSha256());
      entry.put("forests", run.forests());
      entry.put("minAgreements", run.minAgreements());
      entry.put("documents", run.documents());
      entry.put("blocks", BlockSelection.format(new ArrayList<>(run.blocks().keySet())));
      runs.add(entry);
    }
    status.put("runs", runs);
    status.put("documentsWithoutLineage", lineage.documentsWithoutLineage());
    status.put("mixedBlocks", BlockSelection.format(new ArrayList<>(
        lineage.mixedBlocks().keySet())));
    return status;
  }

  private QueryResponse query(SolrQuery query) throws ApiException, IOException {
    try {
      SolrClient solr = target.client();
      return solr.query(target.collection(), query);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  /**
   * The API's answer to a failed Solr call: 503 if Solr cannot be reached, 502 if it failed on
   * a request the API checked. The details (addresses, paths) go to the log, not to clients.
   */
  private ApiException failure(Exception e) {
    LOG.warn("search index call to {} failed: {}", target.describe(), SolrClients.causes(e), e);
    if (SolrClients.unreachable(e)) {
      return new ApiException(503, "the search index is not answering; try again shortly");
    }
    return new ApiException(502, "the search index failed to answer this request");
  }

  private static SearchResult.Image image(SolrDocument doc) {
    Map<String, Integer> classVotes = new LinkedHashMap<>();
    for (int label = 0; label < CifarClasses.COUNT; label++) {
      Object votes = doc.getFieldValue(IndexFields.classVotes(label));
      classVotes.put(CifarClasses.name(label), votes == null ? 0 : ((Number) votes).intValue());
    }
    return new SearchResult.Image(Long.parseLong((String) doc.getFieldValue(IndexFields.ID)),
        (String) doc.getFieldValue(IndexFields.LABEL),
        ((Number) doc.getFieldValue(IndexFields.AGREEMENT)).intValue(),
        ((Number) doc.getFieldValue(IndexFields.BLOCK)).intValue(),
        ((Number) doc.getFieldValue(IndexFields.OFFSET)).longValue(),
        ((Number) doc.getFieldValue(IndexFields.VOTES)).intValue(),
        ((Number) doc.getFieldValue(IndexFields.TREES)).intValue(), classVotes);
  }
}

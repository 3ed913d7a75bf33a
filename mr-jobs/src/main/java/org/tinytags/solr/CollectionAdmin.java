package org.tinytags.solr;

import java.io.IOException;
import java.util.List;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.response.CollectionAdminResponse;
import org.apache.solr.common.util.ContentStreamBase;

/**
 * Makes the SolrCloud collection the index job writes for: the project's configset uploaded
 * (through the configsets API, so nothing here writes to ZooKeeper itself) and a collection on
 * it routed by the composite-id hash, whose hash ranges the index job's shards then hold.
 */
public final class CollectionAdmin {
  private static final String CONFIGSET_PREFIX = "tinytags-";

  private CollectionAdmin() {}

  /**
   * The configset's name in ZooKeeper: {@code tinytags-} and the first 12 hex digits of the
   * SHA-256 of its files. Named by content, never replaced in place: a collection reads its
   * configset again whenever a core loads, and another version's could not open its index (a
   * config that sorts segments refuses an index of unsorted ones).
   */
  public static String configSetName() throws IOException {
    return CONFIGSET_PREFIX + SolrHome.configSetSha256().substring(0, 12);
  }

  /**
   * Uploads this version's configset unless ZooKeeper holds it already, and creates the
   * collection on it, or, if the collection exists, checks its shard count; returns what was
   * done, for the user. An existing collection keeps the configset it was created with.
   */
  public static String create(SolrTarget cloud, int shards, int replicas) throws IOException {
    if (!cloud.isCloud()) {
      throw new IllegalArgumentException("collections are made in SolrCloud: give --zk");
    }
    String configSet = configSetName();
    SolrClient node = cloud.anyNode();
    try {
      if (!new ConfigSetAdminRequest.List().process(node).getConfigSets().contains(configSet)) {
        ConfigSetAdminRequest.Upload upload = new ConfigSetAdminRequest.Upload()
            .setConfigSetName(configSet).setOverwrite(false).setCleanup(true);
        upload.setUploadStream(new ContentStreamBase.ByteArrayStream(SolrHome.configSetZip(),
            configSet + ".zip", "application/octet-stream"));
        upload.process(node);
      }
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw new IOException(cloud.describe() + ": uploading the configset failed: "
          + SolrClients.failure(node, e), e);
    }
    List<SolrTarget.Shard> existing = cloud.shardsIfExists();
    if (existing != null) {
      if (existing.size() != shards) {
        throw new IOException(cloud.describe() + " exists already, with " + existing.size()
            + " shards, not " + shards + ": index for " + existing.size() + " shards, or "
            + "create another collection");
      }
      String its = cloud.configSet();
      return cloud.describe() + " exists already with " + shards + " shards, on configset "
          + its + (configSet.equals(its) ? "" : " (kept; this version's is " + configSet
          + ", for new collections)");
    }
    CollectionAdminResponse response;
    try {
      CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(
          cloud.collection(), configSet, shards, replicas);
      create.setWaitForFinalState(true);
      response = create.process(node);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw new IOException(cloud.describe() + ": creating it failed: "
          + SolrClients.failure(node, e), e);
    }
    if (!response.isSuccess()) {
      throw new IOException(cloud.describe() + ": creating it failed: "
          + response.getErrorMessages());
    }
    return cloud.describe() + " created: " + shards + " shards, " + replicas
        + " replicas each, configset " + configSet;
  }
}

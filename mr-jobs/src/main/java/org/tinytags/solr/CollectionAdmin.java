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
  /** The configset's name in ZooKeeper (the local cluster uploads it under this name too). */
  public static final String CONFIGSET = "tinytags";

  private CollectionAdmin() {}

  /**
   * Uploads the configset (replacing an older one of that name) and creates the collection, or,
   * if it exists, checks its shard count; returns what was done, for the user.
   */
  public static String create(SolrTarget cloud, int shards, int replicas) throws IOException {
    if (!cloud.isCloud()) {
      throw new IllegalArgumentException("collections are made in SolrCloud: give --zk");
    }
    SolrClient node = cloud.anyNode();
    try {
      ConfigSetAdminRequest.Upload upload = new ConfigSetAdminRequest.Upload()
          .setConfigSetName(CONFIGSET).setOverwrite(true).setCleanup(true);
      ContentStreamBase.ByteArrayStream zip = new ContentStreamBase.ByteArrayStream(
          SolrHome.configSetZip(), CONFIGSET + ".zip", "application/octet-stream");
      upload.setUploadStream(zip);
      upload.process(node);
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
      return cloud.describe() + " exists already with " + shards + " shards; configset "
          + CONFIGSET + " updated (reload the collection to use it)";
    }
    CollectionAdminResponse response;
    try {
      CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(
          cloud.collection(), CONFIGSET, shards, replicas);
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
        + " replicas each, configset " + CONFIGSET;
  }
}

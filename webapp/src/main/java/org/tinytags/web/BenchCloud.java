package org.tinytags.web;

import java.nio.file.Path;

import org.apache.solr.cloud.MiniSolrCloudCluster;

/**
 * A SolrCloud for {@code bench search --solrcloud N}: two Solr nodes and an embedded ZooKeeper
 * in this JVM (Solr's own {@link MiniSolrCloudCluster}), allowed to merge shards from the
 * benchmark's work directory.
 */
final class BenchCloud implements AutoCloseable {
  private final MiniSolrCloudCluster cluster;

  private BenchCloud(MiniSolrCloudCluster cluster) {
    this.cluster = cluster;
  }

  static BenchCloud start(Path home, Path shards) throws Exception {
    String previous = System.getProperty("solr.allowPaths");
    System.setProperty("solr.allowPaths", shards.toAbsolutePath().toString());
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", home.resolve("logs").toString());
    }
    try {
      return new BenchCloud(new MiniSolrCloudCluster.Builder(2, home)
          .withSolrXml(org.tinytags.solr.SolrHome.CLOUD_SOLR_XML)
          .build());
    } finally {
      if (previous == null) {
        System.clearProperty("solr.allowPaths");
      } else {
        System.setProperty("solr.allowPaths", previous);
      }
    }
  }

  /** ZooKeeper's address with the cluster's chroot. */
  String zkHost() {
    return cluster.getZkServer().getZkAddress();
  }

  @Override
  public void close() throws Exception {
    cluster.shutdown();
  }
}

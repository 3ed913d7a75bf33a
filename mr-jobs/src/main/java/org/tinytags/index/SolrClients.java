package org.tinytags.index;

import java.util.concurrent.TimeUnit;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;

/** How TinyTags talks to a running Solr. */
public final class SolrClients {
  private SolrClients() {}

  /**
   * A client for the Solr at {@code baseUrl} ({@code http://host:8983/solr}). The JDK's HTTP
   * client needs no Jetty (which would clash with Hadoop's); HTTP/1.1 because over HTTP/2 it
   * failed two runs in three with "GOAWAY received" against Solr's Jetty.
   */
  public static SolrClient http(String baseUrl) {
    return new HttpJdkSolrClient.Builder(baseUrl.replaceAll("/+$", ""))
        .useHttp1_1(true)
        .withConnectionTimeout(10, TimeUnit.SECONDS)
        .withRequestTimeout(10, TimeUnit.MINUTES)
        .build();
  }
}

package org.tinytags.testing;

import java.nio.file.Path;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.embedded.JettyConfig;
import org.tinytags.solr.SolrClients;
import org.tinytags.solr.SolrHome;

/** A real Solr server on 127.0.0.1 with an empty TinyTags core, for tests. */
public final class TestSolr implements AutoCloseable {
  private final JettySolrRunner jetty;

  public TestSolr(Path home) throws Exception {
    SolrHome.create(home, SolrHome.CORE);
    // go-live merges shards from anywhere under the test's temporary directories.
    System.setProperty("solr.allowPaths", "*");
    jetty = new JettySolrRunner(home.toString(), JettyConfig.builder().setPort(0).build());
    jetty.start();
  }

  public String url() {
    return jetty.getBaseUrl().toString();
  }

  public SolrClient client() {
    return SolrClients.http(url());
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}

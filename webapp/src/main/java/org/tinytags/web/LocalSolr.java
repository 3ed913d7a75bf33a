package org.tinytags.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.tinytags.index.GoLive;
import org.tinytags.index.IndexManifest;
import org.tinytags.index.SolrClients;
import org.tinytags.index.SolrHome;

/**
 * A real Solr server on 127.0.0.1 in this JVM (Solr's {@link JettySolrRunner}) with one TinyTags
 * core, filled by going live with an index job's shards. What {@code serve} starts when it is
 * not pointed at a running Solr.
 */
public class LocalSolr implements AutoCloseable {
  private final Path home;
  private final boolean ownsHome;
  private final JettySolrRunner jetty;

  /** Starts Solr with its home in {@code home}, or in a temporary directory if null. */
  public LocalSolr(Path home, int port) throws Exception {
    this.ownsHome = home == null;
    this.home = ownsHome ? Files.createTempDirectory("tinytags-solr-") : home;
    if (!Files.exists(SolrHome.indexDir(this.home, SolrHome.CORE).getParent())) {
      SolrHome.create(this.home, SolrHome.CORE);
    }
    // MERGEINDEXES reads shards from wherever the index job wrote them.
    if (System.getProperty("solr.allowPaths") == null) {
      System.setProperty("solr.allowPaths", "*");
    }
    // Solr logs through slf4j into Hadoop's log4j setup; it only wants a directory named.
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", this.home.resolve("logs").toString());
    }
    jetty = new JettySolrRunner(this.home.toString(),
        JettyConfig.builder().setPort(port).useOnlyHttp1(true).build());
    jetty.start();
  }

  /** Solr's base URL, {@code http://127.0.0.1:<port>/solr}. */
  public String url() {
    return jetty.getBaseUrl().toString();
  }

  public SolrClient client() {
    return SolrClients.http(url());
  }

  /** Goes live with the index in {@code indexDir}; returns the core's document count. */
  public long load(Configuration conf, org.apache.hadoop.fs.Path indexDir) throws IOException {
    FileSystem fs = indexDir.getFileSystem(conf);
    IndexManifest manifest = IndexManifest.read(fs, indexDir);
    try (SolrClient client = client()) {
      return GoLive.goLive(client, SolrHome.CORE, fs, indexDir, manifest, null);
    }
  }

  /** Bytes of the core's index on disk. */
  public long indexBytes() throws IOException {
    try (var files = Files.walk(SolrHome.indexDir(home, SolrHome.CORE))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
    if (ownsHome) {
      FileUtil.fullyDelete(home.toFile());
    }
  }
}

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
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.ShardMerger;
import org.tinytags.solr.SolrTarget;
import org.tinytags.solr.SolrClients;
import org.tinytags.solr.SolrHome;

/**
 * A real Solr server on 127.0.0.1 in this JVM (Solr's {@link JettySolrRunner}) with one TinyTags
 * core, filled by going live with an index job's shards. What {@code serve} starts when it is
 * not pointed at a running Solr.
 */
public class LocalSolr implements AutoCloseable {
  private final Path home;
  private final boolean ownsHome;
  private final JettySolrRunner jetty;
  private final Thread cleanup;
  private boolean stopped;

  /**
   * Starts Solr with its home in {@code home}, or in a temporary directory if null. {@code
   * shards} is the one directory outside the home MERGEINDEXES may read (a local index job's
   * output), or null: shards from HDFS are staged inside the home.
   */
  public LocalSolr(Path home, int port, Path shards) throws Exception {
    this.ownsHome = home == null;
    this.home = ownsHome ? Files.createTempDirectory("tinytags-solr-") : home;
    if (!Files.exists(SolrHome.indexDir(this.home, SolrHome.CORE).getParent())) {
      SolrHome.create(this.home, SolrHome.CORE);
    }
    // Solr logs through slf4j into Hadoop's log4j setup; it only wants a directory named.
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", this.home.resolve("logs").toString());
    }
    // solr.xml reads the allowed paths from this property once, when the node starts; it is
    // put back afterwards, so that it never widens what another Solr in this JVM may read.
    String allowed = System.getProperty("solr.allowPaths");
    if (shards != null && allowed == null) {
      System.setProperty("solr.allowPaths", shards.toAbsolutePath().toString());
    }
    jetty = new JettySolrRunner(this.home.toString(),
        JettyConfig.builder().setPort(port).useOnlyHttp1(true).build());
    // A temporary home goes when the JVM does, even if it is stopped while loading the index.
    cleanup = ownsHome ? new Thread(this::stopQuietly, "tinytags-solr-cleanup") : null;
    if (cleanup != null) {
      Runtime.getRuntime().addShutdownHook(cleanup);
    }
    try {
      jetty.start();
    } catch (Exception e) {
      close();
      throw e;
    } finally {
      if (shards != null && allowed == null) {
        System.clearProperty("solr.allowPaths");
      }
    }
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
    Path staging = home.resolve("staging");
    try (SolrTarget target = SolrTarget.standalone(url(), SolrHome.CORE)) {
      return new ShardMerger(target, fs, indexDir, manifest, staging, System.err).goLive()
          .documents();
    } finally {
      FileUtil.fullyDelete(staging.toFile());
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
    if (cleanup != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // Called from a shutdown hook: the cleanup hook runs as well, harmlessly.
      }
    }
    stop();
  }

  private synchronized void stop() throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      jetty.stop();
    } finally {
      if (ownsHome) {
        FileUtil.fullyDelete(home.toFile());
      }
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (Exception e) {
      // The JVM is going away; the home is deleted in stop()'s finally.
    }
  }
}

package org.tinytags.solr;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.FileUtil;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.core.CoreContainer;

/**
 * Builds one index shard in a local directory with an in-process Solr core (the way Solr's
 * MapReduceIndexerTool did): documents go in through {@link EmbeddedSolrServer} in batches, and
 * {@link #finish} commits, merges to one segment and shuts the core down, leaving a finished
 * Lucene index for the output committer to publish.
 */
public class ShardWriter implements Closeable {
  private static final int BATCH = 1000;

  private final Path home;
  private final CoreContainer cores;
  private final EmbeddedSolrServer solr;
  private final List<SolrInputDocument> batch = new ArrayList<>(BATCH);
  private long documents;
  private boolean shutDown;

  /** Makes a core in {@code home}, a new or empty local directory this writer owns. */
  public ShardWriter(Path home) throws IOException {
    this.home = home;
    SolrHome.create(home, SolrHome.CORE, false);
    cores = CoreContainer.createAndLoad(home);
    if (!cores.getAllCoreNames().contains(SolrHome.CORE)) {
      CoreContainer.CoreLoadFailure failure = cores.getCoreInitFailures().get(SolrHome.CORE);
      Throwable root = failure == null ? null : failure.exception;
      while (root != null && root.getCause() != null) {
        root = root.getCause();
      }
      String why = root == null ? "no reason given" : root.toString();
      cores.shutdown();
      throw new IOException("the shard's Solr core did not load in " + home + ": " + why);
    }
    solr = new EmbeddedSolrServer(cores, SolrHome.CORE);
  }

  public void add(SolrInputDocument doc) throws IOException {
    batch.add(doc);
    if (batch.size() == BATCH) {
      flush();
    }
  }

  public long documents() {
    return documents + batch.size();
  }

  private void flush() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    try {
      solr.add(batch);
    } catch (SolrServerException e) {
      throw new IOException("adding " + batch.size() + " documents to the shard failed", e);
    }
    documents += batch.size();
    batch.clear();
  }

  /** Commits, merges to one segment and shuts the core down; returns the index directory. */
  public Path finish() throws IOException {
    flush();
    try {
      solr.commit(true, true);
      solr.optimize(true, true, 1);
    } catch (SolrServerException e) {
      throw new IOException("committing the shard failed", e);
    }
    shutDown();
    return SolrHome.indexDir(home, SolrHome.CORE);
  }

  private void shutDown() {
    if (!shutDown) {
      shutDown = true;
      // Closing the EmbeddedSolrServer alone leaves Solr's threads running; the container
      // must go too, or a task JVM never exits.
      cores.shutdown();
    }
  }

  /** Shuts the core down if {@link #finish} did not, and deletes the local directory. */
  @Override
  public void close() {
    shutDown();
    FileUtil.fullyDelete(home.toFile());
  }
}

package org.tinytags.web;

import java.util.concurrent.CountDownLatch;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.apache.solr.client.solrj.SolrClient;
import org.tinytags.cli.Command;
import org.tinytags.index.SolrClients;
import org.tinytags.index.SolrHome;

/**
 * {@code serve}: the search page over an index. Unless {@code --solr} names a running Solr, a
 * real one starts in this JVM on 127.0.0.1 and the index goes live in it.
 */
public class ServeCommand extends Command {
  public static final int DEFAULT_PORT = 8080;

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "Serve the search page and its JSON API over an index (starting Solr if needed).";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("index", "dir", "output of index (needed unless --solr is given)"))
        .addOption(flag("blocks", "dir", "output of split: where thumbnails are read from"))
        .addOption(flag("port", "N", "web port (default " + DEFAULT_PORT + "; 0 = any free)"))
        .addOption(flag("host", "address", "address to listen on (default 127.0.0.1)"))
        .addOption(flag("solr", "url", "a running Solr holding the index already, e.g. "
            + "http://127.0.0.1:8983/solr"))
        .addOption(flag("collection", "name", "the core to search (default " + SolrHome.CORE
            + ")"))
        .addOption(flag("solr-home", "dir", "home of the Solr started here (default: a "
            + "temporary directory)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Path blocks = new Path(required(line, "blocks"));
    int port = (int) longFlag(line, "port", DEFAULT_PORT);
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0-65535, not " + port);
    }
    String host = line.getOptionValue("host", "127.0.0.1");
    String core = line.getOptionValue("collection", SolrHome.CORE);
    if (!line.hasOption("solr") && !line.hasOption("index")) {
      throw new UsageException("--index is required unless --solr names a running Solr");
    }
    try (Served served = start(getConf(), line.hasOption("solr") ? null
        : new Path(line.getOptionValue("index")), line.getOptionValue("solr"), core, blocks,
        host, port, line.hasOption("solr-home")
            ? java.nio.file.Path.of(line.getOptionValue("solr-home")) : null)) {
      System.out.printf("serve: %,d images indexed; search page at %s (Ctrl-C to stop)%n",
          served.documents(), served.pageUrl());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  /** A running web app and, maybe, the Solr it started. */
  public record Served(WebServer web, LocalSolr localSolr, SolrClient client, ImageStore images,
      String host, long documents) implements AutoCloseable {
    public String pageUrl() {
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port() + "/";
    }

    public String solrUrl() {
      return localSolr == null ? null : localSolr.url();
    }

    @Override
    public void close() throws Exception {
      web.close();
      client.close();
      if (images != null) {
        images.close();
      }
      if (localSolr != null) {
        localSolr.close();
      }
    }
  }

  /**
   * Starts the web app: over the Solr at {@code solrUrl}, or, if null, over a Solr started here
   * and loaded with {@code index}. {@code blocks} may be null (no thumbnails).
   */
  public static Served start(Configuration conf, Path index, String solrUrl, String core,
      Path blocks, String host, int port, java.nio.file.Path solrHome) throws Exception {
    LocalSolr local = null;
    SolrClient client = null;
    ImageStore images = null;
    try {
      images = blocks == null ? null : new ImageStore(conf, blocks);
      if (solrUrl == null) {
        System.err.println("serve: starting Solr on 127.0.0.1 and loading " + index + " ...");
        local = new LocalSolr(solrHome, 0);
        local.load(conf, index);
        solrUrl = local.url();
      }
      client = SolrClients.http(solrUrl);
      SearchService search = new SearchService(client, core);
      long documents = search.size();
      WebServer web = new WebServer(search, images, host, port);
      return new Served(web, local, client, images, host, documents);
    } catch (Exception e) {
      if (client != null) {
        client.close();
      }
      if (images != null) {
        images.close();
      }
      if (local != null) {
        local.close();
      }
      throw e;
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new ServeCommand(), args));
  }
}

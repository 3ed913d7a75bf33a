package org.tinytags.web;

import java.util.concurrent.CountDownLatch;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.solr.SolrHome;
import org.tinytags.solr.SolrTarget;

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
        .addOption(flag("zk", "host:port[/chroot]", "a running SolrCloud holding the index "
            + "already, e.g. 127.0.0.1:2181/solr"))
        .addOption(flag("collection", "name", SolrTarget.COLLECTION_FLAG_HELP))
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
    boolean running = line.hasOption("solr") || line.hasOption("zk");
    if (!running && !line.hasOption("index")) {
      throw new UsageException("--index is required unless --solr or --zk names a running Solr");
    }
    SolrTarget target = null;
    if (running) {
      try {
        target = SolrTarget.of(line.getOptionValue("solr"), line.getOptionValue("zk"), core);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    Served served = start(getConf(), running ? null
        : new Path(line.getOptionValue("index")), target, blocks, host, port,
        line.hasOption("solr-home") ? java.nio.file.Path.of(line.getOptionValue("solr-home"))
            : null);
    System.out.printf("serve: %,d images indexed; search page at %s (Ctrl-C to stop)%n",
        served.documents(), served.pageUrl());
    System.out.flush();
    // The JVM halts as soon as its shutdown hooks return: the hook itself closes everything
    // (the Solr started here and its temporary home too), and only then lets main go on.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        served.close();
      } catch (Exception e) {
        System.err.println("serve: stopping failed: " + e);
      } finally {
        stopped.countDown();
      }
    }, "tinytags-serve-stop"));
    stopped.await();
    return 0;
  }

  /** A running web app and, maybe, the Solr it started. */
  public record Served(WebServer web, LocalSolr localSolr, SolrTarget target, ImageStore images,
      String host, long documents) implements AutoCloseable {
    public String pageUrl() {
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port() + "/";
    }

    public String solrUrl() {
      return localSolr == null ? null : localSolr.url();
    }

    /** Stops the web server, the clients, the block streams and the Solr started here. */
    @Override
    public void close() throws Exception {
      try {
        web.close();
      } finally {
        try {
          target.close();
        } finally {
          try {
            if (images != null) {
              images.close();
            }
          } finally {
            if (localSolr != null) {
              localSolr.close();
            }
          }
        }
      }
    }
  }

  /**
   * Starts the web app: over {@code target}, or, if null, over a Solr started here and loaded
   * with {@code index}. {@code blocks} may be null (no thumbnails).
   */
  public static Served start(Configuration conf, Path index, SolrTarget target, Path blocks,
      String host, int port, java.nio.file.Path solrHome) throws Exception {
    LocalSolr local = null;
    ImageStore images = null;
    try {
      images = blocks == null ? null : new ImageStore(conf, blocks);
      if (target == null) {
        System.err.println("serve: starting Solr on 127.0.0.1 and loading " + index + " ...");
        FileSystem indexFs = index.getFileSystem(conf);
        java.nio.file.Path shards = "file".equals(indexFs.getUri().getScheme())
            ? java.nio.file.Path.of(indexFs.makeQualified(index).toUri()) : null;
        local = new LocalSolr(solrHome, 0, shards);
        local.load(conf, index);
        target = SolrTarget.standalone(local.url(), SolrHome.CORE);
      }
      SearchService search = new SearchService(target);
      long documents = search.size();
      WebServer web = new WebServer(search, images, host, port);
      return new Served(web, local, target, images, host, documents);
    } catch (Exception e) {
      if (target != null) {
        target.close();
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

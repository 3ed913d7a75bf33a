package org.tinytags.cluster.solr;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One SolrCloud node: {@code SolrNode <solr.xml> <solr home> <bind address> <port> <zkHost>}.
 * The solr.xml generated with the cluster's configuration is copied into the home at each start
 * (the home keeps the cores). Solr's
 * distribution (its start script and server directory) is not on Maven Central; its embeddable
 * Jetty runner is, and serves the same {@code /solr} application. The node stops cleanly on
 * SIGTERM (Jetty's stop-at-shutdown hook), which is how local-cluster and systemd stop it.
 */
public final class SolrNode {
  private SolrNode() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: SolrNode <solr.xml> <solr home> <bind address> <port> <zkHost>");
      System.exit(2);
    }
    Path solrXml = Path.of(args[0]);
    if (!Files.isRegularFile(solrXml)) {
      System.err.println("SolrNode: no such file " + solrXml.toAbsolutePath());
      System.exit(2);
    }
    Path home = Files.createDirectories(Path.of(args[1]));
    Files.copy(solrXml, home.resolve("solr.xml"), StandardCopyOption.REPLACE_EXISTING);
    String bindAddress = args[2];
    int port = Integer.parseInt(args[3]);
    Properties nodeProperties = new Properties();
    nodeProperties.setProperty("zkHost", args[4]);
    // solr.xml's <solrcloud> reads hostPort (the port registered in ZooKeeper's live_nodes).
    nodeProperties.setProperty("hostPort", Integer.toString(port));
    JettySolrRunner jetty = new JettySolrRunner(home.toString(), nodeProperties,
        JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build());
    bind(jetty, bindAddress);
    jetty.start();
    Thread.currentThread().join();
  }

  /**
   * JettySolrRunner builds its connector in the constructor, fixed to 127.0.0.1 (it was made for
   * tests); a node of a real cluster must listen on its host's address. The connector is not
   * started yet, so its host can still change.
   */
  private static void bind(JettySolrRunner jetty, String address) throws ReflectiveOperationException {
    Field field = JettySolrRunner.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(jetty);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost(address);
      }
    }
  }
}

package org.tinytags.solr;

import java.util.concurrent.TimeUnit;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.impl.HttpSolrClientBase;

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

  /**
   * Why a call through {@code solr} failed, in one line naming the server: the JDK client's
   * connection errors often carry no message of their own, only a cause.
   */
  public static String failure(SolrClient solr, Throwable e) {
    String baseUrl = solr instanceof HttpSolrClientBase http ? http.getBaseURL()
        : solr.getClass().getSimpleName();
    if (unreachable(e)) {
      return "Solr at " + baseUrl + ": cannot connect (is Solr running there?)";
    }
    return "Solr at " + baseUrl + ": " + causes(e);
  }

  /** Whether {@code e} says the server could not be reached at all (rather than refused). */
  public static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof SolrTarget.UnreachableException) {
        return true;
      }
    }
    return false;
  }

  /** The distinct messages of {@code e} and its causes, joined, at most about 400 characters. */
  public static String causes(Throwable e) {
    StringBuilder why = new StringBuilder();
    for (Throwable t = e; t != null && why.length() < 400; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && why.indexOf(message) < 0) {
        why.append(why.length() == 0 ? "" : ": ").append(message);
      } else if (message == null && t.getCause() == null) {
        why.append(why.length() == 0 ? "" : ": ").append(t.getClass().getSimpleName());
      }
    }
    return why.toString();
  }
}

package org.tinytags.solr;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.ZkClientClusterStateProvider;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.util.Utils;

/**
 * Where TinyTags' documents live: one standalone core ({@code --solr URL --collection core}) or
 * a SolrCloud collection ({@code --zk host:port/chroot --collection name}). Go-live, reindex,
 * {@code serve} and the benchmarks take one of these.
 *
 * <p>Every request goes through the JDK's HTTP client ({@link SolrClients#http}), also for
 * SolrCloud: ZooKeeper is read for the cluster's state only, so no Jetty client (which clashes
 * with Hadoop's) is needed anywhere.
 */
public abstract class SolrTarget implements Closeable {
  /**
   * One core holding a copy of a shard: a standalone core, or a SolrCloud replica.
   *
   * @param type NRT, TLOG or PULL (a standalone core is NRT)
   */
  public record Core(String baseUrl, String core, String state, boolean leader, String type) {}

  /** Solr or its ZooKeeper cannot be reached (as opposed to refusing a request). */
  public static class UnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One shard in hash order: its name, range (null when standalone) and copies. */
  public record Shard(String name, String range, List<Core> cores) {}

  private final Map<String, SolrClient> clients = new ConcurrentHashMap<>();
  private final String collection;

  private SolrTarget(String collection) {
    this.collection = collection;
  }

  /** What {@code --solr}, {@code --zk} and {@code --collection} mean to every command. */
  public static final String SOLR_FLAG_HELP = "a standalone Solr, e.g. http://127.0.0.1:8983/solr";
  public static final String ZK_FLAG_HELP = "a SolrCloud's ZooKeeper, e.g. 127.0.0.1:2181/solr";
  public static final String COLLECTION_FLAG_HELP = "the core (with --solr) or collection (with "
      + "--zk); default " + SolrHome.CORE;

  /**
   * The target the flags name: {@code solrUrl} or {@code zkHost}, exactly one of them, and the
   * collection (default {@link SolrHome#CORE}).
   */
  public static SolrTarget of(String solrUrl, String zkHost, String collection) {
    if ((solrUrl == null) == (zkHost == null)) {
      throw new IllegalArgumentException(solrUrl == null
          ? "name a Solr: --solr <url> (standalone) or --zk <host:port/chroot> (SolrCloud)"
          : "--solr and --zk name two Solrs: give one");
    }
    String name = collection == null ? SolrHome.CORE : collection;
    return solrUrl != null ? standalone(solrUrl, name) : cloud(zkHost, name);
  }

  /** The core {@code core} of the standalone Solr at {@code baseUrl}. */
  public static SolrTarget standalone(String baseUrl, String core) {
    return new Standalone(baseUrl.replaceAll("/+$", ""), core);
  }

  /** The collection {@code collection} of the SolrCloud whose ZooKeeper is {@code zkHost}. */
  public static SolrTarget cloud(String zkHost, String collection) {
    return new Cloud(zkHost, collection);
  }

  /** The core or collection name: the collection argument of every request to {@link #client}. */
  public String collection() {
    return collection;
  }

  /** A client for requests to the whole core or collection (queries, updates, commits). */
  public abstract SolrClient client() throws IOException;

  /** The shards in hash order, each with every core that holds a copy of it. */
  public abstract List<Shard> shards() throws IOException;

  public abstract boolean isCloud();

  /** A client for any live Solr node, for admin requests that name no collection. */
  public abstract SolrClient anyNode() throws IOException;

  /** {@link #shards}, or null if the collection does not exist (the standalone core always does). */
  public List<Shard> shardsIfExists() throws IOException {
    return shards();
  }

  /** The configset the collection was created on (SolrCloud), or null for a standalone core. */
  public String configSet() throws IOException {
    return null;
  }

  /** "core tinytags of the Solr at http://…", for messages. */
  public abstract String describe();

  /** A client for the Solr node at {@code baseUrl}, kept until {@link #close}. */
  public SolrClient node(String baseUrl) {
    return clients.computeIfAbsent(baseUrl, SolrClients::http);
  }

  @Override
  public void close() throws IOException {
    IOException failed = null;
    for (SolrClient client : clients.values()) {
      try {
        client.close();
      } catch (IOException e) {
        failed = e;
      }
    }
    clients.clear();
    if (failed != null) {
      throw failed;
    }
  }

  private static final class Standalone extends SolrTarget {
    private final String baseUrl;

    Standalone(String baseUrl, String core) {
      super(core);
      this.baseUrl = baseUrl;
    }

    @Override
    public SolrClient client() {
      return node(baseUrl);
    }

    @Override
    public List<Shard> shards() {
      return List.of(new Shard(collection(), null,
          List.of(new Core(baseUrl, collection(), Replica.State.ACTIVE.toString(), true,
              Replica.Type.NRT.name()))));
    }

    @Override
    public boolean isCloud() {
      return false;
    }

    @Override
    public SolrClient anyNode() {
      return client();
    }

    @Override
    public String describe() {
      return "core " + collection() + " of the Solr at " + baseUrl;
    }
  }

  private static final class Cloud extends SolrTarget {
    private final String zkHost;
    private final java.util.concurrent.atomic.AtomicInteger turn =
        new java.util.concurrent.atomic.AtomicInteger();
    private ZkClientClusterStateProvider zk;

    Cloud(String zkHost, String collection) {
      super(collection);
      this.zkHost = zkHost;
    }

    private synchronized ClusterState state() throws IOException {
      if (zk == null) {
        ZkClientClusterStateProvider provider = new ZkClientClusterStateProvider(zkHost);
        provider.setZkConnectTimeout((int) TimeUnit.SECONDS.toMillis(15));
        try {
          provider.connect();
        } catch (RuntimeException e) {
          provider.close();
          throw new UnreachableException("SolrCloud at ZooKeeper " + zkHost + ": cannot "
              + "connect (" + SolrClients.causes(e) + ")", e);
        }
        zk = provider;
      }
      return zk.getClusterState();
    }

    /** The collection's state, or an error naming the collections there are. */
    DocCollection docCollection() throws IOException {
      ClusterState state = state();
      DocCollection doc = state.getCollectionOrNull(collection());
      if (doc == null) {
        throw new IOException("SolrCloud at ZooKeeper " + zkHost + " has no collection '"
            + collection() + "' (it has " + new TreeSet<>(state.getCollectionNames())
            + "): create it with 'tinytags solr create'");
      }
      return doc;
    }

    @Override
    public SolrClient client() throws IOException {
      ClusterState state = state();
      Set<String> live = state.getLiveNodes();
      // Nodes holding an active copy answer without a hop; requests take turns among them,
      // so that no one node coordinates every search.
      TreeSet<String> nodes = new TreeSet<>();
      for (Slice slice : docCollection().getActiveSlices()) {
        for (Replica replica : slice.getReplicas()) {
          if (replica.isActive(live)) {
            nodes.add(replica.getNodeName());
          }
        }
      }
      if (nodes.isEmpty()) {
        return anyNode();
      }
      List<String> turns = new ArrayList<>(nodes);
      return node(baseUrl(turns.get(Math.floorMod(turn.getAndIncrement(), turns.size()))));
    }

    /** The base URL of a live node, in the scheme the cluster uses (urlScheme). */
    private String baseUrl(String nodeName) {
      return Utils.getBaseUrlForNodeName(nodeName, zk.getClusterProperty("urlScheme", "http"));
    }

    @Override
    public List<Shard> shards() throws IOException {
      DocCollection doc = docCollection();
      Set<String> live = state().getLiveNodes();
      List<ShardRouting.CloudShard> routed;
      try {
        routed = ShardRouting.shardsOf(doc);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      List<Shard> shards = new ArrayList<>();
      for (ShardRouting.CloudShard cloudShard : routed) {
        Slice slice = doc.getSlice(cloudShard.name());
        List<Core> cores = new ArrayList<>();
        for (Replica replica : slice.getReplicas()) {
          String state = replica.isActive(live) ? replica.getState().toString()
              : live.contains(replica.getNodeName()) ? replica.getState().toString() : "down";
          cores.add(new Core(replica.getBaseUrl(), replica.getCoreName(), state,
              replica.isLeader(), replica.getType().name()));
        }
        cores.sort(Comparator.comparing(Core::core));
        shards.add(new Shard(slice.getName(), cloudShard.range(), cores));
      }
      return shards;
    }

    @Override
    public boolean isCloud() {
      return true;
    }

    @Override
    public SolrClient anyNode() throws IOException {
      List<String> live = new ArrayList<>(state().getLiveNodes());
      if (live.isEmpty()) {
        throw new UnreachableException("SolrCloud at ZooKeeper " + zkHost + " has no live "
            + "Solr node", null);
      }
      live.sort(Comparator.naturalOrder());
      return node(baseUrl(live.get(0)));
    }

    @Override
    public List<Shard> shardsIfExists() throws IOException {
      return state().getCollectionOrNull(collection()) == null ? null : shards();
    }

    @Override
    public String configSet() throws IOException {
      return docCollection().getConfigName();
    }

    @Override
    public String describe() {
      return "collection " + collection() + " of the SolrCloud at ZooKeeper " + zkHost;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        synchronized (this) {
          if (zk != null) {
            zk.close();
            zk = null;
          }
        }
      }
    }
  }
}

package org.tinytags.solr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.solr.common.cloud.CompositeIdRouter;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.DocRouter;
import org.apache.solr.common.cloud.Slice;

/**
 * Which index shard each document goes to when the index is built for a SolrCloud collection:
 * the collection's own {@link DocRouter} decides, as MapReduceIndexerTool's partitioner did, so
 * every shard holds exactly the hash range of one collection shard and real-time get ({@code
 * /get?id=}, Hue's document details) finds every document where the router looks for it.
 */
public final class ShardRouting {
  private static final String NAMES = "tinytags.index.shard-names";
  private static final String RANGES = "tinytags.index.shard-ranges";
  private static final CompositeIdRouter ROUTER = new CompositeIdRouter();

  /** One shard of a collection: its name and hash range ({@code 80000000-ffffffff}). */
  public record CloudShard(String name, String range) {}

  private final DocRouter.Range[] ranges;

  private ShardRouting(List<CloudShard> shards) {
    ranges = new DocRouter.Range[shards.size()];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = ROUTER.fromString(shards.get(i).range());
    }
  }

  /**
   * The shards of {@code collection} in hash order; an {@link IllegalArgumentException} if the
   * collection does not route by the composite-id hash (the implicit router leaves the choice
   * to whoever writes, and real-time get then finds nothing).
   */
  public static List<CloudShard> shardsOf(DocCollection collection) {
    if (!(collection.getRouter() instanceof CompositeIdRouter)) {
      throw new IllegalArgumentException("collection " + collection.getName() + " uses the "
          + collection.getRouter().getName() + " router; TinyTags builds shards for the "
          + CompositeIdRouter.NAME + " router only (create it with 'tinytags solr create')");
    }
    if (collection.get("router") instanceof java.util.Map<?, ?> router
        && router.get("field") != null) {
      // The router would hash that field's value, not the id; the shards are built by id.
      throw new IllegalArgumentException("collection " + collection.getName() + " routes by "
          + "field " + router.get("field") + "; TinyTags routes by id (create the collection "
          + "with 'tinytags solr create')");
    }
    List<Slice> slices = new ArrayList<>(collection.getActiveSlices());
    for (Slice slice : slices) {
      if (slice.getRange() == null) {
        throw new IllegalArgumentException("shard " + slice.getName() + " of collection "
            + collection.getName() + " has no hash range");
      }
    }
    slices.sort(Comparator.comparing(Slice::getRange));
    return slices.stream().map(s -> new CloudShard(s.getName(), s.getRange().toString())).toList();
  }

  /** The routing for {@code shards}, in hash order. */
  public static ShardRouting of(List<CloudShard> shards) {
    return new ShardRouting(shards);
  }

  public static void set(Configuration conf, List<CloudShard> shards) {
    conf.setStrings(NAMES, shards.stream().map(CloudShard::name).toArray(String[]::new));
    conf.setStrings(RANGES, shards.stream().map(CloudShard::range).toArray(String[]::new));
  }

  /** The routing {@link #set} in {@code conf}, or null if the index is not built for a collection. */
  public static ShardRouting get(Configuration conf) {
    String[] names = conf.getStrings(NAMES);
    String[] ranges = conf.getStrings(RANGES);
    if (names == null || ranges == null) {
      return null;
    }
    List<CloudShard> shards = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      shards.add(new CloudShard(names[i], ranges[i]));
    }
    return new ShardRouting(shards);
  }

  /** The shard, 0 to n-1 in hash order, whose range holds document {@code id}. */
  public int shardOf(String id) {
    int hash = ROUTER.sliceHash(id, null, null, null);
    for (int i = 0; i < ranges.length; i++) {
      if (ranges[i].includes(hash)) {
        return i;
      }
    }
    throw new IllegalStateException("no shard's hash range holds document " + id + " (hash "
        + Integer.toHexString(hash) + "): the collection's ranges do not cover the hash ring");
  }
}

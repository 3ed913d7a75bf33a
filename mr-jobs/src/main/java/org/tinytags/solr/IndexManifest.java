package org.tinytags.solr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.classify.ClassifyManifest;

/**
 * {@code _index.json} of an index job's output: its shards and which blocks they hold, what
 * go-live needs to replace those blocks in a running Solr. The JSON keys are a published
 * contract: extend, never rename.
 *
 * @param classified the classify output the index was built from, as given
 * @param minAgreement the agreement threshold applied, or null for classify's own tags
 * @param documents documents in all shards
 * @param blocks the blocks indexed, ascending
 * @param shards the shards, numbered 0..n-1
 * @param indexRun this run's id, in every document ({@code index_run}): go-live tells the
 *     documents it brings from older ones by it
 * @param splitSha256 SHA-256 of the split's manifest (from classify's {@code _classify.json})
 * @param splitBlocks blocks in the split (the index is complete if it holds all of them)
 * @param forestSha256 SHA-256 of the forest that tagged the rows of classify's full run (blocks
 *     re-run with another are listed in its {@code _classify.json}, and their documents say so)
 * @param threshold the agreement threshold the documents passed: {@code minAgreement}, or
 *     classify's full run's
 * @param routing {@link #BY_BLOCK} (each block in one shard; for standalone cores) or {@link
 *     #BY_HASH} (each shard one hash range of {@code collection})
 * @param collection the SolrCloud collection whose hash ranges the shards hold, or null
 * @param indexSort the order of the documents in the shards' segments ({@link
 *     IndexFields#INDEX_SORT}); a core whose segments are sorted takes only shards sorted alike
 */
public record IndexManifest(String classified, Double minAgreement, long documents,
    List<Integer> blocks, List<Shard> shards, String indexRun, String splitSha256,
    int splitBlocks, String forestSha256, double threshold, String routing, String collection,
    String indexSort, Map<Integer, Long> blockDocuments, ClassifyManifest classify) {

  public static final String FILE_NAME = "_index.json";
  /** Routing: all of a block's documents in one shard. */
  public static final String BY_BLOCK = "block";
  /** Routing: each shard holds one hash range of a SolrCloud collection (compositeId). */
  public static final String BY_HASH = "compositeId";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * @param shard shard number
   * @param dir directory name inside the index output ({@code shard-00000})
   * @param documents documents it holds
   * @param buildMillis time its reducer took, from opening the core to publishing the shard
   * @param name the collection shard it is built for ({@code shard1}), or null
   * @param range that shard's hash range ({@code 80000000-ffffffff}), or null
   */
  public record Shard(int shard, String dir, long documents, long buildMillis, String name,
      String range) {}

  public IndexManifest {
    blocks = List.copyOf(blocks);
    shards = List.copyOf(shards);
    blockDocuments = blockDocuments == null ? Map.of() : new TreeMap<>(blockDocuments);
  }

  /** This manifest with its shards replaced (the rest unchanged). */
  public IndexManifest withShards(List<Shard> newShards) {
    return new IndexManifest(classified, minAgreement, documents, blocks, newShards, indexRun,
        splitSha256, splitBlocks, forestSha256, threshold, routing, collection, indexSort,
        blockDocuments, classify);
  }

  /**
   * What one reducer built, written beside its shard in {@code _shards/shard-NNNNN.json} for the
   * driver to gather into {@code _index.json}. (Two counters per shard would exceed
   * {@code mapreduce.job.counters.max}, 120 by default, near 58 shards.) Committed with the
   * task's output, so only the attempt that won writes it.
   *
   * @param documents documents in the shard
   * @param buildMillis the reducer's time, from opening the core to publishing the shard
   * @param blockDocuments documents per block
   */
  public record ShardStats(long documents, long buildMillis, Map<Integer, Long> blockDocuments) {
    public static final String DIR = "_shards";

    public void write(FileSystem fs, Path workDir, int shard) throws IOException {
      try (OutputStream out = fs.create(new Path(new Path(workDir, DIR),
          shardDirName(shard) + ".json"), false)) {
        JSON.writeValue(out, this);
      }
    }

    public static ShardStats read(FileSystem fs, Path indexDir, int shard) throws IOException {
      Path file = new Path(new Path(indexDir, DIR), shardDirName(shard) + ".json");
      try (InputStream in = fs.open(file)) {
        return JSON.readValue(in, ShardStats.class);
      } catch (FileNotFoundException e) {
        throw new FileNotFoundException("shard " + shard + " of " + indexDir + " reported "
            + "nothing (no " + file + ")");
      }
    }
  }

  /** {@code shard-00003}. */
  public static String shardDirName(int shard) {
    return String.format("shard-%05d", shard);
  }

  public static IndexManifest read(FileSystem fs, Path indexDir) throws IOException {
    Path file = new Path(indexDir, FILE_NAME);
    if (!fs.exists(file)) {
      throw new FileNotFoundException("no " + FILE_NAME + " in " + indexDir
          + ": is this the output of 'tinytags index'?");
    }
    IndexManifest manifest;
    try (InputStream in = fs.open(file)) {
      manifest = JSON.readValue(in, IndexManifest.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a readable index manifest: " + e.getOriginalMessage(), e);
    }
    if (manifest.shards() == null || manifest.blocks() == null) {
      throw new IOException(file + ": not an index manifest (no \"shards\" or \"blocks\")");
    }
    if (manifest.indexRun() == null || manifest.routing() == null
        || manifest.indexSort() == null) {
      throw new IOException(file + ": an index built by an older TinyTags (no \"indexRun\" or "
          + "\"indexSort\"; its shards' segments are not sorted as cores now sort theirs): run "
          + "index again");
    }
    for (Shard shard : manifest.shards()) {
      if (!fs.exists(new Path(indexDir, shard.dir()))) {
        throw new FileNotFoundException(file + " lists " + shard.dir() + ", which is missing");
      }
    }
    return manifest;
  }

  public void write(FileSystem fs, Path indexDir) throws IOException {
    try (OutputStream out = fs.create(new Path(indexDir, FILE_NAME), true)) {
      JSON.writeValue(out, this);
    }
  }
}

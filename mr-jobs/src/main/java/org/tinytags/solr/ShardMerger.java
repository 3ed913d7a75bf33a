package org.tinytags.solr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.params.CommonParams;
import org.tinytags.classify.BlockSelection;

/**
 * Go-live: merges an index job's shards into a running core or collection, replacing the blocks
 * they hold, so that a searcher sees either the old blocks or the new, never neither and never
 * both.
 *
 * <p>The order makes that so. Nothing is deleted before every shard is merged: {@code
 * MERGEINDEXES} puts each shard into every core that holds a copy of its range (every replica,
 * as MapReduceIndexerTool's go-live did: a merge into a leader never reaches its replicas). Only
 * then one delete-by-query removes the old documents of those blocks, told from the new ones by
 * their index run, and one commit publishes both. If a merge or the delete fails, the documents
 * merged so far are deleted by their index run and committed away, and the index is as it was:
 * a failure never leaves a delete pending for the next commit, from anyone, to apply.
 *
 * <p>What the target holds is read from the documents first ({@link IndexLineage}): a go-live of
 * another split is refused unless it brings every block of its split (it then replaces
 * everything), a go-live of a run that is live already does nothing, and one whose shards were
 * routed for other hash ranges than the collection's is refused before anything changes.
 */
public final class ShardMerger {
  private final SolrTarget target;
  private final FileSystem fs;
  private final Path index;
  private final IndexManifest manifest;
  private final java.nio.file.Path staging;
  private final PrintStream log;

  /** What a go-live did. */
  public record Result(boolean changed, long documents, String summary) {}

  /**
   * @param staging local directory for shards copied off a remote file system (HDFS), or null
   *     for a temporary one, deleted afterwards
   */
  public ShardMerger(SolrTarget target, FileSystem fs, Path index, IndexManifest manifest,
      java.nio.file.Path staging, PrintStream log) {
    this.target = target;
    this.fs = fs;
    this.index = index;
    this.manifest = manifest;
    this.staging = staging;
    this.log = log;
  }

  public Result goLive() throws IOException {
    IndexLineage before = IndexLineage.read(target);
    List<SolrTarget.Shard> shards = target.shards();
    checkRouting(shards);
    boolean replaceAll = checkSplit(before);
    IndexLineage.Run live = before.run(manifest.indexRun());
    if (live != null) {
      if (live.documents() == manifest.documents()
          && manifest.blocks().containsAll(live.blocks().keySet())) {
        if (olderDocumentsRemain(before, replaceAll)) {
          // A go-live whose merges were committed (by anyone) before its final delete was:
          // finish it.
          return finish(shards, before, replaceAll);
        }
        return new Result(false, before.documents(), "index run " + manifest.indexRun()
            + " is live already (" + manifest.documents() + " documents): nothing to do");
      }
      throw new IOException(target.describe() + " holds " + live.documents() + " documents "
          + "of this index run (" + manifest.indexRun() + ", blocks " + BlockSelection.format(
          live.blocks().keySet().stream().toList()) + "), not all its " + manifest.documents()
          + ": part of it was replaced since. Build the blocks again to bring them back "
          + "('tinytags reindex --block …')");
    }
    for (SolrTarget.Shard shard : shards) {
      for (SolrTarget.Core core : shard.cores()) {
        if (!"NRT".equals(core.type())) {
          // TLOG followers and PULL replicas copy their leader's index: a merge into them
          // would be overwritten, or doubled.
          throw new IOException(target.describe() + ": replica " + core.core() + " of "
              + shard.name() + " is a " + core.type() + " replica; go-live merges into NRT "
              + "replicas only (create the collection with 'tinytags solr create')");
        }
        if (!"active".equalsIgnoreCase(core.state())) {
          throw new IOException(target.describe() + ": replica " + core.core() + " of "
              + shard.name() + " is " + core.state().toLowerCase() + "; go live when every "
              + "replica is active (nothing was changed)");
        }
      }
    }
    if (!before.mixedBlocks().isEmpty()) {
      log.printf("golive: blocks %s hold documents of more than one index run (a go-live cut "
          + "off before its commit); blocks this index holds are mended now%n",
          before.mixedBlocks().keySet());
    }
    java.nio.file.Path copies = null;
    try {
      List<String> dirs = new ArrayList<>();
      for (IndexManifest.Shard shard : manifest.shards()) {
        if (shard.documents() == 0) {
          dirs.add(null);
          continue;
        }
        Path dir = new Path(index, shard.dir());
        String local;
        if ("file".equals(fs.getUri().getScheme())) {
          local = new java.io.File(fs.makeQualified(dir).toUri()).getAbsolutePath();
        } else {
          if (copies == null) {
            copies = staging != null ? Files.createDirectories(staging)
                : Files.createTempDirectory("tinytags-golive-");
          }
          java.nio.file.Path copy = copies.resolve(shard.dir());
          FileUtil.fullyDelete(copy.toFile());
          fs.copyToLocalFile(false, dir, new Path(copy.toUri()), true);
          local = copy.toString();
        }
        checkShardDir(shard, java.nio.file.Path.of(local));
        dirs.add(local);
      }
      return replace(shards, dirs, before, replaceAll);
    } finally {
      if (staging == null && copies != null) {
        FileUtil.fullyDelete(copies.toFile());
      }
    }
  }

  /** A hash-routed index must match the collection's ranges; a block-routed one a core. */
  private void checkRouting(List<SolrTarget.Shard> shards) throws IOException {
    if (!target.isCloud()) {
      return;
    }
    if (!IndexManifest.BY_HASH.equals(manifest.routing())) {
      throw new IOException("this index was built for a standalone core (shards by block); "
          + target.describe() + " routes documents by hash: build the index for it with "
          + "'tinytags index --zk … --collection " + target.collection() + "'");
    }
    List<String> wanted = shards.stream().map(s -> s.name() + " " + s.range()).toList();
    List<String> built = manifest.shards().stream().map(s -> s.name() + " " + s.range())
        .toList();
    if (!wanted.equals(built)) {
      throw new IOException("this index was built for the shards " + built + (Objects.equals(
          manifest.collection(), target.collection()) ? "" : " of collection "
          + manifest.collection()) + ", but " + target.describe() + " has " + wanted
          + ": build the index again for it (nothing was changed)");
    }
  }

  /**
   * Refuses a partial go-live of another split than the one live (its block numbers mean other
   * images); returns true if a complete one must replace everything.
   */
  private boolean checkSplit(IndexLineage before) throws IOException {
    List<String> others = before.splits().stream()
        .filter(s -> !s.equals(manifest.splitSha256())).toList();
    if (others.isEmpty() && before.documentsWithoutLineage() == 0) {
      return false;
    }
    boolean complete = manifest.blocks().size() == manifest.splitBlocks();
    String what = others.isEmpty() ? before.documentsWithoutLineage()
        + " documents without lineage (indexed by an older TinyTags)"
        : "documents of another split (manifest SHA-256 " + String.join(", ", others) + ")";
    if (!complete) {
      throw new IOException(target.describe() + " holds " + what + "; this index is of split "
          + manifest.splitSha256() + " and holds " + manifest.blocks().size() + " of its "
          + manifest.splitBlocks() + " blocks. Block numbers of different splits name "
          + "different images, so a partial go-live would leave duplicates: index every block "
          + "of the split, or go live into a new collection (nothing was changed)");
    }
    log.printf("golive: %s holds %s; this index holds every block of its split and replaces "
        + "them all%n", target.describe(), what);
    return true;
  }

  private static void checkShardDir(IndexManifest.Shard shard, java.nio.file.Path dir)
      throws IOException {
    boolean hasCommit;
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      hasCommit = files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
    } catch (IOException e) {
      throw new IOException(shard.dir() + " (" + dir + ") cannot be read: " + e.getMessage()
          + " (nothing was changed)", e);
    }
    if (!hasCommit) {
      throw new IOException(shard.dir() + " (" + dir + ") holds no Lucene commit (no "
          + "segments_N file): not a finished shard (nothing was changed)");
    }
  }

  private Result replace(List<SolrTarget.Shard> shards, List<String> dirs, IndexLineage before,
      boolean replaceAll) throws IOException {
    SolrClient client = target.client();
    int merges = 0;
    try {
      // Copies of this run an earlier, cut-off go-live merged but nobody committed: a delete
      // reaches only documents added before it, so these go and the merges below stay.
      client.deleteByQuery(target.collection(), runQuery());
      for (int i = 0; i < manifest.shards().size(); i++) {
        if (dirs.get(i) == null) {
          continue;
        }
        // A standalone core takes every shard; a collection shard only the one built for it.
        for (SolrTarget.Shard shard : target.isCloud() ? List.of(shards.get(i)) : shards) {
          for (SolrTarget.Core core : shard.cores()) {
            merge(core, dirs.get(i));
            merges++;
          }
        }
      }
    } catch (IOException | SolrServerException | RuntimeException e) {
      throw undo(client, merges, before, e);
    }
    return finish(shards, before, replaceAll);
  }

  /**
   * With every shard merged, deletes the blocks' older documents and commits, in one request
   * (the delete never waits in the update log for someone else's commit). From here on the
   * go-live only goes forward: the request is tried twice, and if it still fails, running
   * golive again completes it (it finds this run's documents and finishes the delete).
   */
  private Result finish(List<SolrTarget.Shard> shards, IndexLineage before, boolean replaceAll)
      throws IOException {
    String old = (replaceAll ? "*:*" : "+_query_:\"" + blocksQuery(manifest.blocks()) + "\"")
        + " -" + IndexFields.INDEX_RUN + ":\"" + manifest.indexRun() + "\"";
    SolrClient client = target.client();
    for (int attempt = 1; ; attempt++) {
      try {
        new UpdateRequest().deleteByQuery(old).setAction(AbstractUpdateRequest.ACTION.COMMIT,
            true, true).process(client, target.collection());
        break;
      } catch (IOException | SolrServerException | RuntimeException e) {
        if (attempt == 2) {
          throw new IOException("go-live into " + target.describe() + ": every shard is "
              + "merged, but the final delete and commit failed twice (" + SolrClients.causes(e)
              + "). Run golive again once Solr answers: it completes the go-live", e);
        }
      }
    }
    long after;
    long found;
    try {
      found = count(client, target.collection(), runQuery(), true);
      after = count(client, target.collection(), "*:*", true);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw new IOException("go-live into " + target.describe() + " committed, but counting "
          + "the documents failed: " + SolrClients.failure(client, e), e);
    }
    if (found != manifest.documents()) {
      throw new IOException("after go-live (committed) " + target.describe() + " holds "
          + found + " documents of index run " + manifest.indexRun() + ", the index "
          + manifest.documents() + ": did another go-live of " + manifest.indexRun() + " go on "
          + "at the same time?");
    }
    checkReplicas(shards);
    return new Result(true, after, String.format("%,d documents of %,d blocks live in %s "
        + "(%,d in all, %,d before)", manifest.documents(), manifest.blocks().size(),
        target.describe(), after, before.documents()));
  }

  /** Whether documents of other runs (or of no run) are left in this index's blocks. */
  private boolean olderDocumentsRemain(IndexLineage before, boolean replaceAll) {
    if (replaceAll || before.documentsWithoutLineage() > 0) {
      return before.documents() != manifest.documents();
    }
    for (IndexLineage.Run run : before.runs()) {
      if (!run.indexRun().equals(manifest.indexRun())
          && run.blocks().keySet().stream().anyMatch(manifest.blocks()::contains)) {
        return true;
      }
    }
    return false;
  }

  private String runQuery() {
    return "{!term f=" + IndexFields.INDEX_RUN + "}" + manifest.indexRun();
  }

  /**
   * Takes back the merges done so far (their documents are the only ones of this index run),
   * and returns the exception to throw for {@code cause}.
   */
  private IOException undo(SolrClient client, int merges, IndexLineage before,
      Exception cause) {
    String why = SolrClients.causes(cause);
    try {
      client.deleteByQuery(target.collection(), runQuery());
      client.commit(target.collection(), true, true);
    } catch (IOException | SolrServerException | RuntimeException undo) {
      return new IOException("go-live into " + target.describe() + " failed (" + why
          + "), and taking back its " + merges + " merges failed too ("
          + SolrClients.causes(undo) + "). Nothing of it is committed: going live again once "
          + "Solr answers, or restarting Solr, leaves the old documents as they were", cause);
    }
    return new IOException("go-live into " + target.describe() + " failed, nothing changed ("
        + before.documents() + " documents, as before): " + why, cause);
  }

  private void merge(SolrTarget.Core core, String dir) throws IOException {
    CoreAdminRequest.MergeIndexes merge = new CoreAdminRequest.MergeIndexes();
    merge.setCoreName(core.core());
    merge.setIndexDirs(List.of(dir));
    try {
      merge.process(target.node(core.baseUrl()));
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw new IOException("merging " + dir + " into " + core.core() + " at " + core.baseUrl()
          + " failed: " + SolrClients.causes(e), e);
    }
  }

  /** Every copy of a shard must hold the same documents of this run: count each one alone. */
  private void checkReplicas(List<SolrTarget.Shard> shards) throws IOException {
    if (!target.isCloud()) {
      return;
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      long wanted = manifest.shards().get(i).documents();
      for (SolrTarget.Core core : shards.get(i).cores()) {
        long found;
        try {
          found = count(target.node(core.baseUrl()), core.core(), runQuery(), false);
        } catch (SolrServerException | IOException | RuntimeException e) {
          throw new IOException("after go-live, replica " + core.core() + " does not answer: "
              + SolrClients.causes(e), e);
        }
        if (found != wanted) {
          counts.put(core.core(), found);
        }
      }
    }
    if (!counts.isEmpty()) {
      throw new IOException("after go-live (committed) these replicas hold other counts of "
          + "index run " + manifest.indexRun() + " than their shards: " + counts + " (a "
          + "replica that went into recovery meanwhile; it copies its leader when it recovers)");
    }
  }

  /** A query for every document of {@code blocks}. */
  public static String blocksQuery(List<Integer> blocks) {
    return "{!terms f=" + IndexFields.BLOCK + "}"
        + blocks.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static long count(SolrClient solr, String core, String query, boolean distributed)
      throws SolrServerException, IOException {
    SolrQuery q = new SolrQuery(query).setRows(0);
    if (!distributed) {
      q.set(CommonParams.DISTRIB, false);
    }
    return solr.query(core, q).getResults().getNumFound();
  }
}

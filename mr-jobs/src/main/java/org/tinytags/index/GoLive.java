package org.tinytags.index;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.tinytags.cli.Command;

/**
 * {@code golive}: merges the shards of an index job into a running Solr core with CoreAdmin
 * {@code MERGEINDEXES}. The blocks the index holds are deleted from the core first, in the same
 * commit, so going live again, or with a re-indexed block, replaces documents and never
 * duplicates them. The
 * core's document count for those blocks is checked against {@code _index.json} at the end.
 *
 * <p>MERGEINDEXES reads the shards from the Solr server's own disk: shards on HDFS are copied
 * to a local staging directory first, so Solr must run on this host (or share its disk), and
 * the server must allow the path ({@code -Dsolr.allowPaths}).
 */
public class GoLive extends Command {

  @Override
  public String name() {
    return "golive";
  }

  @Override
  public String summary() {
    return "Merge index shards into a running Solr core, replacing the blocks they hold.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("index", "dir", "output of index (shard-NNNNN/ and _index.json)"))
        .addOption(flag("solr", "url", "Solr base URL, e.g. http://127.0.0.1:8983/solr"))
        .addOption(flag("collection", "name", "the core to merge into (default "
            + SolrHome.CORE + ")"))
        .addOption(flag("staging", "dir", "local directory for shards copied off HDFS "
            + "(default: a temporary directory)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Path index = new Path(required(line, "index"));
    String url = required(line, "solr");
    String core = line.getOptionValue("collection", SolrHome.CORE);
    java.nio.file.Path staging = line.hasOption("staging")
        ? java.nio.file.Path.of(line.getOptionValue("staging")) : null;
    FileSystem fs = index.getFileSystem(getConf());
    IndexManifest manifest = IndexManifest.read(fs, index);
    try (SolrClient solr = SolrClients.http(url)) {
      long live = goLive(solr, core, fs, index, manifest, staging);
      System.err.printf("golive: %,d documents of %,d blocks live in %s/%s (%,d in the core)%n",
          manifest.documents(), manifest.blocks().size(), url, core, live);
    }
    return 0;
  }

  /**
   * Replaces the documents of {@code manifest}'s blocks in {@code core} with the shards' and
   * returns the core's document count afterwards.
   */
  public static long goLive(SolrClient solr, String core, FileSystem fs, Path index,
      IndexManifest manifest, java.nio.file.Path staging) throws IOException {
    java.nio.file.Path copies = null;
    try {
      List<String> dirs = new ArrayList<>();
      for (IndexManifest.Shard shard : manifest.shards()) {
        if (shard.documents() == 0) {
          continue;
        }
        Path dir = new Path(index, shard.dir());
        if ("file".equals(fs.getUri().getScheme())) {
          dirs.add(new java.io.File(fs.makeQualified(dir).toUri()).getAbsolutePath());
        } else {
          if (copies == null) {
            copies = staging != null ? Files.createDirectories(staging)
                : Files.createTempDirectory("tinytags-golive-");
          }
          java.nio.file.Path local = copies.resolve(shard.dir());
          FileUtil.fullyDelete(local.toFile());
          fs.copyToLocalFile(false, dir, new Path(local.toUri()), true);
          dirs.add(local.toString());
        }
      }
      return replaceBlocks(solr, core, dirs, manifest);
    } finally {
      if (staging == null && copies != null) {
        FileUtil.fullyDelete(copies.toFile());
      }
    }
  }

  private static long replaceBlocks(SolrClient solr, String core, List<String> dirs,
      IndexManifest manifest) throws IOException {
    String blocks = blocksQuery(manifest.blocks());
    long found;
    long total;
    try {
      // One commit for both: Lucene's addIndexes flushes the pending delete first, so it
      // reaches only the old documents, and searchers see the old blocks or the new, never
      // neither. (GoLiveTest would see the new documents vanish if that changed.)
      solr.deleteByQuery(core, blocks);
      if (!dirs.isEmpty()) {
        CoreAdminRequest.MergeIndexes merge = new CoreAdminRequest.MergeIndexes();
        merge.setCoreName(core);
        merge.setIndexDirs(dirs);
        merge.process(solr);
      }
      solr.commit(core);
      found = count(solr, core, blocks);
      total = count(solr, core, "*:*");
    } catch (SolrServerException | IOException e) {
      throw new IOException(SolrClients.failure(solr, e), e);
    }
    if (found != manifest.documents()) {
      throw new IOException("after go-live " + core + " holds " + found + " documents of "
          + "blocks " + manifest.blocks() + ", the index " + manifest.documents()
          + ": was the core changed meanwhile? Run golive again");
    }
    return total;
  }

  /** A query for every document of {@code blocks}. */
  static String blocksQuery(List<Integer> blocks) {
    return "{!terms f=" + IndexFields.BLOCK + "}"
        + blocks.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static long count(SolrClient solr, String core, String query)
      throws SolrServerException, IOException {
    SolrQuery q = new SolrQuery(query).setRows(0);
    return solr.query(core, q).getResults().getNumFound();
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new GoLive(), args));
  }
}

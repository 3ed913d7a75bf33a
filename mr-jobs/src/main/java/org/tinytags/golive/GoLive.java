package org.tinytags.golive;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.ShardMerger;
import org.tinytags.solr.SolrTarget;

/**
 * {@code golive}: merges the shards of an index job into a running Solr, a standalone core
 * ({@code --solr}) or every replica of a SolrCloud collection ({@code --zk}), replacing the
 * blocks they hold ({@link ShardMerger}: a failure changes nothing).
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
    return "Merge index shards into a running Solr core or collection, replacing their blocks.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("index", "dir", "output of index (shard-NNNNN/ and _index.json)"))
        .addOption(flag("solr", "url", SolrTarget.SOLR_FLAG_HELP))
        .addOption(flag("zk", "host:port[/chroot]", SolrTarget.ZK_FLAG_HELP))
        .addOption(flag("collection", "name", SolrTarget.COLLECTION_FLAG_HELP))
        .addOption(flag("staging", "dir", "local directory for shards copied off HDFS "
            + "(default: a temporary directory)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Path index = new Path(required(line, "index"));
    java.nio.file.Path staging = line.hasOption("staging")
        ? java.nio.file.Path.of(line.getOptionValue("staging")) : null;
    try (SolrTarget target = target(line)) {
      goLive(getConf(), index, target, staging, "golive");
    }
    return 0;
  }

  /** The Solr named by {@code --solr} or {@code --zk}, and {@code --collection}. */
  static SolrTarget target(CommandLine line) throws UsageException {
    try {
      return SolrTarget.of(line.getOptionValue("solr"), line.getOptionValue("zk"),
          line.getOptionValue("collection"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Goes live with the index in {@code index}, printing what it did after {@code who}. */
  public static ShardMerger.Result goLive(Configuration conf, Path index, SolrTarget target,
      java.nio.file.Path staging, String who) throws java.io.IOException {
    FileSystem fs = index.getFileSystem(conf);
    IndexManifest manifest = IndexManifest.read(fs, index);
    ShardMerger.Result result = new ShardMerger(target, fs, index, manifest, staging,
        System.err).goLive();
    System.err.println(who + ": " + result.summary());
    return result;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new GoLive(), args));
  }
}

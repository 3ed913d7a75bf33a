package org.tinytags.golive;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.index.IndexJob;
import org.tinytags.solr.SolrTarget;

/**
 * {@code reindex}: the restart story. Indexes some blocks again from classify's output (after
 * classify re-ran them, or after a failed go-live) and makes them live: the index job with
 * {@code --only} into a work directory (routed for the collection with {@code --zk}), then
 * {@link GoLive}, which merges the new documents and only then deletes the blocks' old ones.
 */
public class Reindex extends Command {

  @Override
  public String name() {
    return "reindex";
  }

  @Override
  public String summary() {
    return "Index some blocks again and replace their documents in a running Solr.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("block", "list", "the blocks, e.g. 7 or 3,7-9"))
        .addOption(flag("classified", "dir", "output of classify"))
        .addOption(flag("solr", "url", SolrTarget.SOLR_FLAG_HELP))
        .addOption(flag("zk", "host:port[/chroot]", SolrTarget.ZK_FLAG_HELP))
        .addOption(flag("collection", "name", SolrTarget.COLLECTION_FLAG_HELP))
        .addOption(flag("min-agreement", "0-1", "as for index (default: classify's tags)"))
        .addOption(flag("work", "dir", "where the blocks' shard is built and kept (default: a "
            + "fresh directory on the file system of --classified, deleted afterwards)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    String blocks = required(line, "block");
    String classified = required(line, "classified");
    try (SolrTarget target = GoLive.target(line)) {
      boolean keep = line.hasOption("work");
      Configuration conf = getConf();
      Path work = keep ? new Path(line.getOptionValue("work")) : defaultWork(classified, conf);
      Path index = new Path(work, "index");
      List<String> args = new ArrayList<>(List.of("--classified", classified, "--output",
          index.toString(), "--only", blocks, "--overwrite"));
      if (target.isCloud()) {
        // Shards routed as the collection routes; one per collection shard.
        args.addAll(List.of("--zk", line.getOptionValue("zk"), "--collection",
            target.collection()));
      } else {
        args.addAll(List.of("--shards", "1"));
      }
      if (line.hasOption("min-agreement")) {
        args.addAll(List.of("--min-agreement", line.getOptionValue("min-agreement")));
      }
      try {
        int status = ToolRunner.run(new Configuration(conf), new IndexJob(),
            args.toArray(new String[0]));
        if (status != 0) {
          return status;
        }
        GoLive.goLive(conf, index, target, null, "reindex");
      } finally {
        if (!keep) {
          work.getFileSystem(conf).delete(work, true);
        }
      }
    }
    return 0;
  }

  /**
   * A fresh work directory on the file system of classify's output: the reducers write the
   * shard there and go-live reads it, so on a cluster it must be shared storage, not a node's
   * own /tmp. Local runs use a local temporary directory.
   */
  static Path defaultWork(String classified, Configuration conf) throws IOException {
    FileSystem fs = new Path(classified).getFileSystem(conf);
    if (fs instanceof LocalFileSystem) {
      return new Path(Files.createTempDirectory("tinytags-reindex-").toUri());
    }
    return fs.makeQualified(new Path(fs.getHomeDirectory(),
        ".tinytags/reindex-" + java.util.UUID.randomUUID()));
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new Reindex(), args));
  }
}

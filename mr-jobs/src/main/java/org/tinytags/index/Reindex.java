package org.tinytags.index;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.apache.solr.client.solrj.SolrClient;
import org.tinytags.cli.Command;

/**
 * {@code reindex}: the restart story. Indexes some blocks again from classify's output (after
 * classify re-ran them, or after a failed go-live) and makes them live: the index job with
 * {@code --only} into a work directory, then {@link GoLive}, which deletes the blocks' old
 * documents before merging the new ones.
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
        .addOption(flag("solr", "url", "Solr base URL, e.g. http://127.0.0.1:8983/solr"))
        .addOption(flag("collection", "name", "the core (default " + SolrHome.CORE + ")"))
        .addOption(flag("min-agreement", "0-1", "as for index (default: classify's tags)"))
        .addOption(flag("work", "dir", "where the blocks' shard is built and kept (default: a "
            + "temporary directory, deleted afterwards)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    String blocks = required(line, "block");
    String classified = required(line, "classified");
    String url = required(line, "solr");
    String core = line.getOptionValue("collection", SolrHome.CORE);
    boolean keep = line.hasOption("work");
    Path work = keep ? new Path(line.getOptionValue("work"))
        : new Path(Files.createTempDirectory("tinytags-reindex-").toUri());
    Path index = new Path(work, "index");
    List<String> args = new ArrayList<>(List.of("--classified", classified, "--output",
        index.toString(), "--only", blocks, "--shards", "1", "--overwrite"));
    if (line.hasOption("min-agreement")) {
      args.addAll(List.of("--min-agreement", line.getOptionValue("min-agreement")));
    }
    Configuration conf = getConf();
    int status = ToolRunner.run(new Configuration(conf), new IndexJob(), args.toArray(new String[0]));
    if (status != 0) {
      return status;
    }
    FileSystem fs = index.getFileSystem(conf);
    try (SolrClient solr = SolrClients.http(url)) {
      IndexManifest manifest = IndexManifest.read(fs, index);
      long live = GoLive.goLive(solr, core, fs, index, manifest, null);
      System.err.printf("reindex: blocks %s replaced by %,d documents; %,d in %s%n",
          manifest.blocks(), manifest.documents(), live, core);
    } finally {
      if (!keep) {
        fs.delete(work, true);
      }
    }
    return 0;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new Reindex(), args));
  }
}

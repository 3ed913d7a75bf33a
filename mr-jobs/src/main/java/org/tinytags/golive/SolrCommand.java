package org.tinytags.golive;

import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.solr.CollectionAdmin;
import org.tinytags.solr.SolrTarget;

/**
 * {@code solr create}: uploads the project's configset to a SolrCloud and creates the
 * collection that {@code index --zk … --collection …} builds shards for.
 */
public class SolrCommand extends Command {
  @Override
  public String name() {
    return "solr";
  }

  @Override
  public String summary() {
    return "create: upload the configset to SolrCloud and create the collection to index for.";
  }

  @Override
  protected String arguments() {
    return "create";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("zk", "host:port[/chroot]", SolrTarget.ZK_FLAG_HELP))
        .addOption(flag("collection", "name", "the collection (default tinytags)"))
        .addOption(flag("shards", "N", "shards of the collection (= the index job's reducers)"))
        .addOption(flag("replicas", "R", "copies of each shard (default 1)"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    if (!line.getArgList().equals(List.of("create"))) {
      throw new UsageException("the one action is 'create', not '"
          + String.join(" ", line.getArgList()) + "'");
    }
    String zk = required(line, "zk");
    int shards = (int) positiveLong(line, "shards", null);
    int replicas = (int) positiveLong(line, "replicas", 1L);
    try (SolrTarget cloud = SolrTarget.cloud(zk, line.getOptionValue("collection", "tinytags"))) {
      System.err.println("solr: " + CollectionAdmin.create(cloud, shards, replicas));
    }
    return 0;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new SolrCommand(), args));
  }
}

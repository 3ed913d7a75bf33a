package org.tinytags.hive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hive in this JVM ({@code jdbc:hive2://}): the metastore a Derby database in a directory of the
 * user's choosing, local files, MapReduce on the local job runner. Hive reads these settings
 * from system properties (HiveConf and MetastoreConf both apply them), so they are set before
 * the first connection; every scratch, log and cache directory goes under the same directory,
 * none to /tmp.
 */
public final class EmbeddedHive {
  public static final String URL = "jdbc:hive2://";

  private EmbeddedHive() {}

  /** The settings for a metastore and warehouse under {@code dir}. */
  public static Map<String, String> settings(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + root.resolve("metastore_db") + ";create=true");
    settings.put("datanucleus.schema.autoCreateAll", "true");
    settings.put("hive.metastore.schema.verification", "false");
    settings.put("hive.metastore.uris", "");
    settings.put("hive.metastore.warehouse.dir", root.resolve("warehouse").toUri().toString());
    settings.put("hive.metastore.warehouse.external.dir",
        root.resolve("warehouse-external").toUri().toString());
    settings.put("hive.exec.scratchdir", root.resolve("scratch").toString());
    settings.put("hive.exec.local.scratchdir", root.resolve("local-scratch").toString());
    settings.put("hive.downloaded.resources.dir", root.resolve("resources").toString());
    settings.put("hive.querylog.location", root.resolve("logs").toString());
    settings.put("hive.server2.logging.operation.log.location",
        root.resolve("operation-logs").toString());
    settings.put("hive.query.results.cache.directory", root.resolve("results-cache").toString());
    settings.put("hive.repl.rootdir", root.resolve("repl").toString());
    settings.put("hive.execution.engine", "mr");
    settings.put("mapreduce.framework.name", "local");
    // Map joins build their hash table in a "local task", by default a child process started
    // with the hadoop script, which is not installed here: keep it in this JVM.
    settings.put("hive.exec.submit.local.task.via.child", "false");
    settings.put("hive.exec.submitviachild", "false");
    settings.put("hive.support.concurrency", "false");
    settings.put("hive.stats.autogather", "false");
    settings.put("hive.stats.column.autogather", "false");
    settings.put("hive.server2.webui.port", "0");
    // classify's files carry block as their second column: map ORC columns by name.
    settings.put("orc.force.positional.evolution", "false");
    // No "Launching Job 1 out of 2" and the like on the console: the command prints results.
    settings.put("hive.session.silent", "true");
    settings.put("derby.stream.error.file", root.resolve("derby.log").toString());
    return settings;
  }

  /** Prepares {@code dir} and sets the system properties; call before connecting. */
  public static void configure(Path dir) throws IOException {
    Files.createDirectories(dir);
    settings(dir).forEach(System::setProperty);
  }
}

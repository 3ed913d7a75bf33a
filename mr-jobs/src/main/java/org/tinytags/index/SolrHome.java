package org.tinytags.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Solr home directory holding the TinyTags core, built from the configset this jar carries.
 * The index job's reducers, {@code serve} and the tests all make their cores here, so shards and
 * the serving core always share one schema.
 */
public final class SolrHome {
  /** The core (and standalone collection) name every TinyTags Solr uses by default. */
  public static final String CORE = "tinytags";
  private static final String CONFIGSET = "/org/tinytags/index/configset/conf/";
  private static final List<String> CONF_FILES = List.of("solrconfig.xml", "schema.xml");
  // allowPaths lets CoreAdmin MERGEINDEXES read shards outside the Solr home (go-live).
  private static final String SOLR_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<solr>\n  <str name=\"allowPaths\">${solr.allowPaths:}</str>\n</solr>\n";

  private SolrHome() {}

  /**
   * Creates {@code home} with solr.xml and the core {@code core}, whose index goes to {@code
   * <home>/<core>/data}. Returns the core's instance directory.
   */
  public static Path create(Path home, String core) throws IOException {
    Files.createDirectories(home);
    Files.writeString(home.resolve("solr.xml"), SOLR_XML, StandardCharsets.UTF_8);
    Path instance = home.resolve(core);
    writeConfigSet(instance.resolve("conf"));
    Files.writeString(instance.resolve("core.properties"),
        "name=" + core + "\ndataDir=data\n", StandardCharsets.UTF_8);
    return instance;
  }

  /** The Lucene index directory of a core made by {@link #create}. */
  public static Path indexDir(Path home, String core) {
    return home.resolve(core).resolve("data").resolve("index");
  }

  /** Writes the configset's files into {@code conf}. */
  public static void writeConfigSet(Path conf) throws IOException {
    Files.createDirectories(conf);
    for (String file : CONF_FILES) {
      try (InputStream in = SolrHome.class.getResourceAsStream(CONFIGSET + file)) {
        if (in == null) {
          throw new IOException("configset file " + file + " is missing from the jar");
        }
        Files.copy(in, conf.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}

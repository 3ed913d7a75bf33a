package org.tinytags.solr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import org.tinytags.io.Sha256;

/**
 * A Solr home directory holding the TinyTags core, built from the configset this jar carries.
 * The index job's reducers, {@code serve} and the tests all make their cores here, so shards and
 * the serving core always share one schema.
 */
public final class SolrHome {
  /** The core (and standalone collection) name every TinyTags Solr uses by default. */
  public static final String CORE = "tinytags";
  private static final String CONFIGSET = "/org/tinytags/solr/configset/conf/";
  private static final List<String> CONF_FILES = List.of("solrconfig.xml", "schema.xml");
  // allowPaths lets CoreAdmin MERGEINDEXES read shards outside the Solr home (go-live).
  private static final String SOLR_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<solr>\n  <str name=\"allowPaths\">${solr.allowPaths:}</str>\n</solr>\n";

  /**
   * solr.xml of a SolrCloud node on 127.0.0.1 in this JVM (the benchmark's and the tests'
   * {@code MiniSolrCloudCluster}), which may merge shards from {@code solr.allowPaths}.
   */
  public static final String CLOUD_SOLR_XML = "<solr><str name=\"allowPaths\">${solr.allowPaths:}"
      + "</str><solrcloud><str name=\"host\">127.0.0.1</str><int name=\"hostPort\">"
      + "${hostPort:8983}</int><str name=\"hostContext\">${hostContext:solr}</str></solrcloud>"
      + "</solr>";

  private SolrHome() {}

  /**
   * Creates {@code home} with solr.xml and the core {@code core}, whose index goes to {@code
   * <home>/<core>/data}. Returns the core's instance directory.
   */
  public static Path create(Path home, String core) throws IOException {
    return create(home, core, true);
  }

  /**
   * As {@link #create(Path, String)}; {@code updateLog} false makes a core for writing a shard
   * once (the index job's reducers), which needs no update log.
   */
  public static Path create(Path home, String core, boolean updateLog) throws IOException {
    Files.createDirectories(home);
    Files.writeString(home.resolve("solr.xml"), SOLR_XML, StandardCharsets.UTF_8);
    Path instance = home.resolve(core);
    writeConfigSet(instance.resolve("conf"));
    Files.writeString(instance.resolve("core.properties"), "name=" + core + "\ndataDir=data\n"
        + (updateLog ? "" : "enable.update.log=false\n"), StandardCharsets.UTF_8);
    return instance;
  }

  /** The configset as a zip, as Solr's configsets API takes it ({@code solr create}). */
  public static byte[] configSetZip() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (String file : CONF_FILES) {
        zip.putNextEntry(new java.util.zip.ZipEntry(file));
        zip.write(configFile(file));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** SHA-256 (hex) of the configset's files, in order: what names it in ZooKeeper. */
  public static String configSetSha256() throws IOException {
    MessageDigest sha256 = Sha256.newDigest();
    for (String file : CONF_FILES) {
      sha256.update(file.getBytes(StandardCharsets.UTF_8));
      sha256.update(configFile(file));
    }
    return Sha256.hex(sha256);
  }

  /** The Lucene index directory of a core made by {@link #create}. */
  public static Path indexDir(Path home, String core) {
    return home.resolve(core).resolve("data").resolve("index");
  }

  /** Writes the configset's files into {@code conf}. */
  public static void writeConfigSet(Path conf) throws IOException {
    Files.createDirectories(conf);
    for (String file : CONF_FILES) {
      Files.write(conf.resolve(file), configFile(file));
    }
  }

  private static byte[] configFile(String file) throws IOException {
    try (InputStream in = SolrHome.class.getResourceAsStream(CONFIGSET + file)) {
      if (in == null) {
        throw new IOException("configset file " + file + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}

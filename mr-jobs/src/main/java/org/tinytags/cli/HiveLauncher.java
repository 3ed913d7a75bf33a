package org.tinytags.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code tinytags hive} in a JVM of its own, on the hive module's class path: Hive's ~310
 * jars (its own Jetty, Guava, Jackson, Derby) never join the jobs' or the web app's. The module's
 * build directory is named by the system property {@value #HOME_PROPERTY} (bin/tinytags sets
 * it); it holds the module's jar and {@code hive-classpath.txt}.
 */
public final class HiveLauncher {
  public static final String HOME_PROPERTY = "tinytags.hive.home";
  private static final String MAIN = "org.tinytags.hive.HiveTool";
  /** What Hive 4.0.1 reflects into on Java 17, beside what Hadoop needs (JvmOptions). */
  private static final List<String> HIVE_OPENS = List.of(
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");

  private HiveLauncher() {}

  /** Whether this JVM knows where the hive module is (bin/tinytags, the hive module's tests). */
  public static boolean available() {
    return System.getProperty(HOME_PROPERTY) != null;
  }

  /** Runs {@code hive args...} in a child JVM sharing this one's terminal; its exit status. */
  public static int run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : System.getenv().getOrDefault("TINYTAGS_HIVE_JAVA_OPTS", "-Xmx1g")
        .split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.addAll(List.of(JvmOptions.ADD_OPENS.split(" ")));
    command.addAll(HIVE_OPENS);
    // Logging: slf4j goes to reload4j, configured by the log4j.properties in the hive module's
    // jar (errors only); Log4j 2's own status lines are off.
    command.add("-Dlog4j2.statusLoggerLevel=OFF");
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN);
    command.addAll(args);
    Process child = new ProcessBuilder(command).inheritIO().start();
    return child.waitFor();
  }

  private static String classPath() throws IOException {
    String home = System.getProperty(HOME_PROPERTY);
    if (home == null) {
      throw new IOException("the hive command needs the hive module's class path: run it with "
          + "bin/tinytags (which sets -D" + HOME_PROPERTY + "), not from the job jar");
    }
    Path dir = Path.of(home);
    Path classPathFile = dir.resolve("hive-classpath.txt");
    if (!Files.isRegularFile(classPathFile)) {
      throw new IOException(classPathFile + " is missing: build the hive module "
          + "(mvn -pl hive -am package)");
    }
    Path jar = null;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "tinytags-hive-*.jar")) {
      for (Path candidate : jars) {
        if (!candidate.getFileName().toString().contains("-tests")) {
          jar = candidate;
        }
      }
    }
    if (jar == null) {
      throw new IOException("no tinytags-hive jar in " + dir + ": build the hive module "
          + "(mvn -pl hive -am package)");
    }
    String classPath = jar + File.pathSeparator + Files.readString(classPathFile).trim();
    // As `hadoop` does: a cluster's configuration directory goes first, so that the tables'
    // files are read from the cluster's HDFS.
    String confDir = System.getenv("HADOOP_CONF_DIR");
    return confDir == null || confDir.isEmpty() ? classPath
        : confDir + File.pathSeparator + classPath;
  }
}

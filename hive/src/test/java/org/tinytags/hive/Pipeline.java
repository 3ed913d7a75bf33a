package org.tinytags.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tinytags.cli.HiveLauncher;
import org.tinytags.cli.JvmOptions;
import org.tinytags.testing.TestCifar;

/**
 * Runs {@code tinytags <command>} as bin/tinytags does, in a JVM of its own on the web app
 * module's class path (the jobs need Mahout, BoofCV and Solr, which Hive's JVM must not see),
 * with the hive module's build directory for {@code hive}. The build has made both.
 */
final class Pipeline {
  private static final Path ROOT = repositoryRoot();

  private Pipeline() {}

  /** What a command returned and printed. */
  record Run(int status, String out, String err) {}

  static Run tinytags(String... args) throws IOException, InterruptedException {
    Path webapp = ROOT.resolve("webapp/target");
    String jar;
    try (var jars = Files.list(webapp)) {
      jar = jars.map(Path::toString).filter(p -> p.matches(".*/tinytags-webapp-[^/]*\\.jar"))
          .findFirst().orElseThrow(() -> new IOException("no web app jar in " + webapp));
    }
    String classPath = String.join(File.pathSeparator, jar,
        Files.readString(webapp.resolve("local-classpath.txt")).trim(),
        Files.readString(webapp.resolve("runtime-classpath.txt")).trim());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-Djava.awt.headless=true",
        "-Dlog4j.configuration=file:" + ROOT.resolve("bin/log4j.properties"),
        "-D" + HiveLauncher.HOME_PROPERTY + "=" + ROOT.resolve("hive/target")));
    command.addAll(List.of(JvmOptions.ADD_OPENS.split(" ")));
    command.addAll(List.of("-cp", classPath, "org.tinytags.TinyTags"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("tinytags-out", ".txt");
    Path err = Files.createTempFile("tinytags-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().put(TestCifar.ENV, TestCifar.dir().toString());
      int status = builder.start().waitFor();
      String errText = Files.readString(err, StandardCharsets.UTF_8);
      System.err.print(errText);
      return new Run(status, Files.readString(out, StandardCharsets.UTF_8), errText);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs a command that must succeed. */
  static Run ok(String... args) throws IOException, InterruptedException {
    Run run = tinytags(args);
    assertEquals(0, run.status(), "tinytags " + String.join(" ", args) + ":\n" + run.err());
    return run;
  }

  static Path root() {
    return ROOT;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bin/tinytags"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside the TinyTags repository");
  }
}

package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Debian's shellcheck passes on every script of the project. Without shellcheck the test is
 * skipped, except under CI=true (.ci/run installs it), where it fails.
 */
class ShellScriptsTest {
  static final Path ROOT = Path.of(System.getProperty("tinytags.root", "../..")).toAbsolutePath().normalize();
  static final List<String> SCRIPTS = List.of("bin/tinytags", "cluster-setup/local-cluster",
      "cluster-setup/deploy", "cluster-setup/lib/common.sh", ".ci/run");

  @Test
  void everyScriptPassesShellcheck() throws Exception {
    boolean installed = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "shellcheck")));
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("shellcheck is not installed (apt-get install shellcheck)");
    }
    assumeTrue(installed, "shellcheck is not installed");
    // -x: follow the scripts' `. lib/common.sh`.
    List<String> command = new ArrayList<>(List.of("shellcheck", "-x", "--format=gcc"));
    SCRIPTS.forEach(script -> command.add(ROOT.resolve(script).toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
  }
}

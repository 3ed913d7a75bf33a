package org.tinytags.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the product's scripts and commands as a user would, and keeps their output. */
final class Processes {
  static final Path ROOT = Path.of(System.getProperty("tinytags.root", "../..")).toAbsolutePath().normalize();
  static final Path IT_DIR = Path.of(System.getProperty("tinytags.it.dir", "target/it")).toAbsolutePath();

  private Processes() {}

  /** What a finished process said. */
  record Run(List<String> command, int exit, String output, double seconds) {
    Run assertSucceeded() {
      assertEquals(0, exit, String.join(" ", command) + " failed:\n" + output);
      return this;
    }
  }

  /** Runs {@code command} in the repository's top directory, output and errors together. */
  static Run run(Map<String, String> env, long timeoutSeconds, List<String> command)
      throws IOException, InterruptedException {
    Files.createDirectories(IT_DIR);
    Path log = Files.createTempFile(IT_DIR, "run-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The scripts must use what the reactor built, never run Maven inside Maven.
    builder.environment().put("TINYTAGS_NO_BUILD", "1");
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds
          + " s:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Run(List.copyOf(command), process.exitValue(), output, seconds);
  }

  static Run run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
    return run(Map.of(), timeoutSeconds, List.of(command));
  }

  /** {@code cluster-setup/local-cluster <command> --dir <dir> [more]}. */
  static Run localCluster(String command, Path dir, String... more)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(ROOT.resolve("cluster-setup/local-cluster").toString(),
        command, "--dir", dir.toString()));
    args.addAll(List.of(more));
    return run(Map.of(), 600, args);
  }

  /** The pids of processes whose command line or working directory lies under {@code dir}. */
  static List<Long> processesUnder(Path dir) throws IOException {
    List<Long> pids = new ArrayList<>();
    String prefix = dir.toString() + "/";
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid == ProcessHandle.current().pid()) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")),
              StandardCharsets.UTF_8).replace('\0', ' ');
          String cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString() + "/";
          if (cmdline.contains(prefix) || cwd.startsWith(prefix)) {
            pids.add(pid);
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return pids;
  }
}

package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve stopped by SIGTERM (as Ctrl-C or a service manager stops it) leaves nothing behind. */
class ServeShutdownTest {
  @TempDir
  Path tmp;

  @Test
  void sigtermStopsSolrAndRemovesItsTemporaryHome() throws Exception {
    ServedCorpus corpus = ServedCorpus.get();
    // The test JVM's own class path (surefire's manifest jar names every entry).
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Djava.io.tmpdir=" + tmp, "-cp",
        System.getProperty("java.class.path"), ServeCommand.class.getName(), "--index",
        corpus.dir.resolve("index").toString(), "--blocks", corpus.blocks.toString(),
        "--port", "0");
    Path log = tmp.resolve("serve.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process serve = builder.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("search page at") && serve.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.readString(log).contains("search page at"), Files.readString(log));
      try (var homes = Files.list(tmp)) {
        assertTrue(homes.anyMatch(p -> p.getFileName().toString().startsWith("tinytags-solr-")),
            "serve made its Solr home in java.io.tmpdir");
      }
      serve.destroy();  // SIGTERM
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stopped on SIGTERM");
    } finally {
      serve.destroyForcibly();
    }
    String output = Files.readString(log);
    try (var left = Files.list(tmp)) {
      List<String> names = left.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("tinytags-")).toList();
      assertEquals(List.of(), names, output);
    }
  }
}

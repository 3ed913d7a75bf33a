package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSetupTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ClusterSetup.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void checkListsEveryHostsDaemons() {
    assertEquals(0, run("check", ClusterDescriptionTest.CLUSTERS.resolve("five-hosts.properties").toString()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("cluster five-hosts: 5 host(s), 18 daemon(s)\n"), text);
    assertTrue(text.contains("  worker3 (10.20.0.23): datanode.3 nodemanager.3 solr.3\n"), text);
  }

  @Test
  void aBadDescriptionIsRefusedWithEveryProblemAndExitCode2() throws Exception {
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, Files.readString(ClusterDescriptionTest.CLUSTERS.resolve("local.properties"))
        + "\nsolr.2.port.http=2181\nhivesever2=local\n");
    assertEquals(2, run("render", bad.toString(), "--host", "local", "--out", dir.resolve("o").toString(),
        "--set", "state=" + dir, "--set", "user=u"));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith(bad + ": 2 problems:\n"), text);
    assertTrue(text.contains("unknown key 'hivesever2'"), text);
    assertTrue(text.contains("port 2181 on local (127.0.0.1) is used twice: by zookeeper.1 (client)"
        + " and by solr.2 (http)"), text);
    assertTrue(!Files.exists(dir.resolve("o")), "nothing rendered");
  }

  @Test
  void valuesAreResolvedForTheShell() {
    assertEquals(0, run("value", ClusterDescriptionTest.CLUSTERS.resolve("local.properties").toString(),
        "--set", "state=/s", "--set", "user=u", "oozie.data", "solr.collection", "user.hdfs"));
    assertEquals("/s/data/oozie\ntinytags\nu\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anUnknownHostIsNamed() {
    assertEquals(2, run("firewall", ClusterDescriptionTest.CLUSTERS.resolve("five-hosts.properties").toString(),
        "--host", "worker9"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no host worker9 (hosts: master1, master2,"
        + " worker1, worker2, worker3)"), err.toString(StandardCharsets.UTF_8));
  }
}

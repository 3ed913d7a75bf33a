package org.tinytags.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tinytags.cluster.it.Processes.IT_DIR;
import static org.tinytags.cluster.it.Processes.ROOT;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.Test;

/** What local-cluster says to bad input, before anything starts. */
class LocalClusterInputIT {
  private static Path description(String name, String extra) throws Exception {
    Path file = IT_DIR.resolve(name + ".properties");
    Files.createDirectories(IT_DIR);
    Files.writeString(file, Files.readString(ROOT.resolve("cluster-setup/clusters/local.properties"))
        + "\n" + extra);
    return file;
  }

  private static Path freshDir(String name) {
    Path dir = IT_DIR.resolve(name);
    FileUtil.fullyDelete(dir.toFile());
    return dir;
  }

  @Test
  void aBadDescriptionIsRefusedBeforeAnythingStarts() throws Exception {
    Path dir = freshDir("bad-description");
    Processes.Run run = Processes.localCluster("up", dir, "--cluster",
        description("bad", "datanode=local,worker2\nsolr.2.port.http=2181\nhbase=local\n").toString());
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("3 problems:"), run.output());
    assertTrue(run.output().contains("datanode.2 runs on host 'worker2', which no host.worker2 line defines"),
        run.output());
    assertTrue(run.output().contains("port 2181 on local (127.0.0.1) is used twice: by zookeeper.1 (client)"
        + " and by solr.2 (http)"), run.output());
    assertTrue(run.output().contains("unknown key 'hbase'"), run.output());
    assertFalse(Files.exists(dir.resolve("pids")), "nothing started");
  }

  @Test
  void aTakenPortIsNamedWithItsRoleAndNothingStarts() throws Exception {
    Path dir = freshDir("port-taken");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Processes.Run run = Processes.localCluster("up", dir, "--cluster",
          description("port-taken", "jobhistory.port.admin=" + port + "\n").toString());
      assertEquals(1, run.exit(), run.output());
      assertTrue(run.output().contains("local-cluster: port " + port + " on 127.0.0.1 (jobhistory's admin"
          + " port) is taken by another process"), run.output());
      assertTrue(run.output().contains("nothing was started"), run.output());
      try (var pids = Files.list(dir.resolve("pids"))) {
        assertEquals(0, pids.count(), "no pid files");
      }
      assertEquals(java.util.List.of(), Processes.processesUnder(dir));
    }
  }

  @Test
  void downWhenNothingRunsSaysSo() throws Exception {
    Path dir = freshDir("nothing");
    Processes.Run run = Processes.localCluster("down", dir);
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("local-cluster: nothing runs in " + dir), run.output());
  }
}

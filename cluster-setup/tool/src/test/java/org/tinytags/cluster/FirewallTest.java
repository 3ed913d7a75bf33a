package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FirewallTest {
  private static String rules(String host) throws Exception {
    return new Firewall(new ClusterConfig(ClusterDescription.load(
        ClusterDescriptionTest.CLUSTERS.resolve("five-hosts.properties")), Map.of())).rules(host);
  }

  @Test
  void aWorkerOpensItsDaemonPortsToTheClusterOnly() throws Exception {
    String worker = rules("worker2");
    assertTrue(worker.contains("set cluster { type ipv4_addr; elements = { 10.20.0.11, 10.20.0.12,"
        + " 10.20.0.21, 10.20.0.22, 10.20.0.23 } }"), worker);
    assertTrue(worker.contains("type filter hook input priority 0; policy drop;"), worker);
    assertTrue(worker.contains("ip saddr @cluster tcp dport { 9864, 9866, 9867 } accept comment"
        + " \"datanode.2\""), worker);
    assertTrue(worker.contains("ip saddr @cluster tcp dport { 8040, 8041, 8042, 13562 } accept"), worker);
    assertTrue(worker.contains("ip saddr @cluster tcp dport { 8983 } accept comment \"solr.2\""), worker);
    assertTrue(worker.contains("ip saddr @cluster tcp dport 32768-60999 accept"), worker);
    assertTrue(worker.contains("ip saddr { 10.20.0.0/24 } tcp dport 22 accept"), worker);
    // No ZooKeeper, NameNode or user-facing port on this worker, and nothing open to the world.
    assertFalse(worker.contains("2181"), worker);
    assertFalse(worker.contains("9870"), worker);
    assertFalse(worker.contains("10.30.0.0/16"), worker);
    assertFalse(worker.contains("0.0.0.0"), worker);
  }

  @Test
  void anEmptyAdminListIsRefusedRatherThanLockingTheOperatorsOut() throws Exception {
    java.util.Properties p = new java.util.Properties();
    try (var in = java.nio.file.Files.newBufferedReader(
        ClusterDescriptionTest.CLUSTERS.resolve("five-hosts.properties"))) {
      p.load(in);
    }
    p.setProperty("firewall.admin", "");
    Firewall firewall = new Firewall(new ClusterConfig(
        ClusterDescription.parse("t", ClusterDescription.defaults(), p), Map.of()));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> firewall.rules("worker1"));
    assertTrue(e.getMessage().startsWith("firewall.admin is empty"), e.getMessage());
  }

  @Test
  void usersReachOnlyHueAndHiveServer2() throws Exception {
    String master2 = rules("master2");
    assertTrue(master2.contains("ip saddr { 10.30.0.0/16 } tcp dport { 10000, 8888 } accept"
        + " comment \"users from firewall.clients\""), master2);
    assertEquals(1, master2.split("10.30.0.0/16", -1).length - 1, master2);
    assertFalse(master2.contains("32768-60999"), master2);
  }
}

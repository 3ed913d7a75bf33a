package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deploy script's dry run of the five-host sample: every action per host, no ssh. */
class DeployDryRunTest {
  private static List<String> lines;
  private static String output;

  @BeforeAll
  static void dryRun() throws Exception {
    Process process = new ProcessBuilder(ShellScriptsTest.ROOT.resolve("cluster-setup/deploy").toString(),
        ShellScriptsTest.ROOT.resolve("cluster-setup/clusters/five-hosts.properties").toString(), "--dry-run")
        .directory(ShellScriptsTest.ROOT.toFile()).redirectErrorStream(true).start();
    output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    lines = output.lines().collect(Collectors.toList());
  }

  private static List<String> of(String host) {
    return lines.stream().filter(l -> l.startsWith("[" + host + "] ")).collect(Collectors.toList());
  }

  private static int index(String line) {
    int i = lines.indexOf(line);
    assertTrue(i >= 0, "missing line: " + line + "\n" + output);
    return i;
  }

  @Test
  void eachHostGetsItsUsersJarsConfigurationAndUnits() {
    List<String> worker1 = of("worker1");
    for (String user : List.of("hdfs", "yarn", "solr", "zookeeper")) {
      assertTrue(worker1.stream().anyMatch(l -> l.startsWith("[worker1] user " + user + ": id -u " + user)),
          user + " in " + worker1);
    }
    assertFalse(worker1.stream().anyMatch(l -> l.startsWith("[worker1] user hive")), worker1.toString());
    index("[worker1] jars of hadoop (cluster-setup/daemons/hadoop/pom.xml, Maven Central): rsync --checksum"
        + " cluster-setup/target/deploy/five-hosts/install/lib/hadoop/ -> /opt/tinytags/lib/hadoop");
    index("[worker1] check hadoop: cd /opt/tinytags/lib/hadoop && sha256sum --quiet --strict -c SHA256SUMS");
    index("[worker1] enable units: ln -sf /etc/systemd/system/tinytags/*.service /etc/systemd/system/"
        + " && systemctl daemon-reload && systemctl enable tinytags-datanode.1.service"
        + " tinytags-nodemanager.1.service tinytags-solr.1.service tinytags-zookeeper.3.service");
    List<String> master2 = of("master2");
    assertTrue(master2.stream().anyMatch(l -> l.startsWith("[master2] jars of hive (hive/pom.xml, Maven Central)")),
        master2.toString());
    assertTrue(master2.stream().anyMatch(l -> l.startsWith("[master2] oozie server home: rsync")), master2.toString());
    assertFalse(master2.stream().anyMatch(l -> l.contains("jars of solr")), master2.toString());
  }

  @Test
  void everyHostGetsFirewallRulesForItsOwnDaemonsOnly() {
    index("[worker2]   |     ip saddr @cluster tcp dport { 9864, 9866, 9867 } accept comment \"datanode.2\"");
    index("[worker2]   |     ip saddr @cluster tcp dport { 8983 } accept comment \"solr.2\"");
    index("[master1]   |     ip saddr @cluster tcp dport { 8020, 9870 } accept comment \"namenode\"");
    index("[master2]   |     ip saddr { 10.30.0.0/16 } tcp dport { 10000, 8888 } accept comment"
        + " \"users from firewall.clients\"");
    for (String host : List.of("master1", "master2", "worker1", "worker2", "worker3")) {
      index("[" + host + "]   |     type filter hook input priority 0; policy drop;");
      index("[" + host + "] firewall: grep -qF 'include \"/etc/nftables.d/tinytags/*.nft\"' /etc/nftables.conf"
          + " || echo 'include \"/etc/nftables.d/tinytags/*.nft\"' >> /etc/nftables.conf; systemctl enable"
          + " nftables && nft -f /etc/nftables.d/tinytags/tinytags.nft");
    }
    // A worker opens no NameNode port, and no rule anywhere opens a port to every address.
    List<String> rules = lines.stream().filter(l -> l.contains(" tcp dport ")).collect(Collectors.toList());
    assertFalse(rules.stream().anyMatch(l -> l.startsWith("[worker3]") && l.contains("8020")), rules.toString());
    assertTrue(rules.stream().allMatch(l -> l.contains("ip saddr ")), rules.toString());
  }

  @Test
  void theClusterStartsInDependencyOrderWithOneOffStepsGuarded() {
    int zk = index("[master1] start zookeeper.1: systemctl start tinytags-zookeeper.1.service");
    int format = index("[master1] format HDFS (first run only): test -e /var/lib/tinytags/namenode/name/current"
        + " || runuser -u hdfs -- java @/etc/tinytags/daemons/namenode/format.args");
    int nn = index("[master1] start namenode: systemctl start tinytags-namenode.service");
    int dn = index("[worker3] start datanode.3: systemctl start tinytags-datanode.3.service");
    int solr = index("[worker1] start solr.1: systemctl start tinytags-solr.1.service");
    int oozie = index("[master2] start oozie: systemctl start tinytags-oozie.service");
    int quorum = index("[master1] wait for the zookeeper quorum: timeout 300 bash -c 'until (exec 3<>/dev/tcp/"
        + "10.20.0.11/2181 && printf srvr >&3 && cat <&3) 2>/dev/null | grep -q \"Mode: \\(standalone\\|leader"
        + "\\|follower\\)\"; do sleep 1; done'");
    int dataNodes = lines.indexOf(lines.stream().filter(l -> l.startsWith("[master1] wait for all 3 DataNodes:"))
        .findFirst().orElseThrow());
    int dirs = index("[master1] HDFS directories (first run only): test -e /var/lib/tinytags/.hdfs-dirs ||"
        + " { bash /etc/tinytags/setup/hdfs-dirs.sh && touch /var/lib/tinytags/.hdfs-dirs; }");
    assertTrue(zk < quorum && quorum < format && format < nn && nn < dn && dn < dataNodes
        && dataNodes < dirs && dirs < solr && solr < oozie, output);
    // Every ZooKeeper server of the quorum gets its number, every instance of a role starts.
    index("[worker1] myid of zookeeper.3: install -d -m 750 -o zookeeper -g tinytags"
        + " /var/lib/tinytags/zookeeper.3/data && echo 3 > /var/lib/tinytags/zookeeper.3/data/myid"
        + " && chown zookeeper /var/lib/tinytags/zookeeper.3/data/myid");
    for (String start : List.of("[master2] start zookeeper.2", "[worker1] start zookeeper.3",
        "[worker2] start datanode.2", "[worker3] start nodemanager.3", "[worker3] start solr.3")) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(start + ":")), start + "\n" + output);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[worker1] solr configset tinytags and collection"
        + " tinytags (3 shards x 2 replicas) (first run only): test -e /var/lib/tinytags/.solr-collection ||")), output);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[master2] oozie sharelib in HDFS (first run only)")), output);
    assertTrue(output.contains("deploy: done (dry run: nothing was touched)"), output);
  }
}

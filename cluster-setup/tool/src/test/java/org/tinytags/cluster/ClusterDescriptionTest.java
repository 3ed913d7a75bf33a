package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class ClusterDescriptionTest {
  static final Path CLUSTERS = Path.of(System.getProperty("tinytags.clusters", "../clusters"));

  /** The local description with {@code extra} lines appended (later lines win). */
  static Properties local(String extra) throws IOException {
    Properties p = new Properties();
    try (var in = java.nio.file.Files.newBufferedReader(CLUSTERS.resolve("local.properties"))) {
      p.load(in);
    }
    p.load(new StringReader(extra));
    return p;
  }

  static InvalidDescriptionException invalid(Properties description) {
    return assertThrows(InvalidDescriptionException.class,
        () -> ClusterDescription.parse("test.properties", ClusterDescription.defaults(), description));
  }

  @Test
  void localClusterHasEveryRoleOnOneHostWithTheSecondInstancesOnTheirOwnPorts() throws Exception {
    ClusterDescription cluster = ClusterDescription.load(CLUSTERS.resolve("local.properties"));
    assertEquals("local", cluster.name());
    assertEquals(List.of("zookeeper.1", "namenode", "datanode.1", "datanode.2", "resourcemanager",
        "nodemanager.1", "nodemanager.2", "jobhistory", "hiveserver2", "solr.1", "solr.2", "oozie",
        "hue"), cluster.instances().stream().map(Instance::name).collect(Collectors.toList()));
    assertEquals(9866, cluster.instance("datanode.1").port("data"));
    assertEquals(9966, cluster.instance("datanode.2").port("data"));
    assertEquals(13563, cluster.instance("nodemanager.2").port("shuffle"));
    assertEquals(8984, cluster.instance("solr.2").port("http"));
    assertEquals("512m", cluster.instance("datanode.2").heap());
    assertEquals("2", cluster.settings().get("hdfs.replication"));
  }

  @Test
  void fiveHostSampleSpreadsTheRolesOverMastersAndWorkers() throws Exception {
    ClusterDescription cluster = ClusterDescription.load(CLUSTERS.resolve("five-hosts.properties"));
    assertEquals(5, cluster.hosts().size());
    assertEquals(List.of("zookeeper.3", "datanode.1", "nodemanager.1", "solr.1"),
        cluster.on("worker1").stream().map(Instance::name).collect(Collectors.toList()));
    assertEquals("10.20.0.12", cluster.first(Role.OOZIE).address());
    assertEquals(3, cluster.instances(Role.ZOOKEEPER).size());
  }

  @Test
  void aRoleOnAnUndefinedHostIsNamed() throws Exception {
    InvalidDescriptionException e = invalid(local("datanode=local,worker9\n"));
    assertEquals(List.of("datanode.2 runs on host 'worker9', which no host.worker9 line defines"
        + " (hosts: local)"), e.problems());
    assertTrue(e.getMessage().startsWith("test.properties: datanode.2 runs on host 'worker9'"),
        e.getMessage());
  }

  @Test
  void aPortUsedTwiceOnOneAddressNamesBothUsers() throws Exception {
    InvalidDescriptionException e = invalid(local("solr.2.port.http=9870\n"));
    assertEquals(List.of("port 9870 on local (127.0.0.1) is used twice: by namenode (http) and by"
        + " solr.2 (http)"), e.problems());
  }

  @Test
  void theSecondInstanceOnTheDefaultPortsCollides() throws Exception {
    Properties p = local("");
    p.remove("datanode.2.port.data");
    InvalidDescriptionException e = invalid(p);
    assertEquals(List.of("port 9866 on local (127.0.0.1) is used twice: by datanode.1 (data) and"
        + " by datanode.2 (data)"), e.problems());
  }

  @Test
  void anUnknownRoleOrSettingIsRefused() throws Exception {
    InvalidDescriptionException e = invalid(local("datnode=local\nhdfs.replicaton=2\n"));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("unknown key 'datnode': not a host (host.<name>),"
        + " a role (zookeeper, namenode, datanode,"), e.problems().get(0));
    assertTrue(e.problems().get(1).startsWith("unknown key 'hdfs.replicaton'"), e.problems().get(1));
  }

  @Test
  void anUnknownRoleInAPortLineIsRefused() throws Exception {
    InvalidDescriptionException e = invalid(local("hbase.port.http=16010\n"));
    assertTrue(e.problems().get(0).startsWith("unknown key 'hbase.port.http': no role hbase"),
        e.getMessage());
  }

  @Test
  void aPortOfAMissingInstanceOrRoleIsRefused() throws Exception {
    InvalidDescriptionException e = invalid(local("datanode.3.port.data=9000\nsolr.port.rpc=1\n"));
    assertEquals(List.of("datanode.3.port.data: there is no datanode.3 (2 datanode in the description)",
        "solr.port.rpc: solr has no port rpc (its ports: http)"), e.problems());
  }

  @Test
  void requiredRolesAndSingleRolesAreChecked() throws Exception {
    Properties p = local("namenode=local,local\n");
    p.remove("oozie");
    InvalidDescriptionException e = invalid(p);
    assertEquals(List.of("namenode runs once per cluster, but namenode=local,local names 2 hosts",
        "no oozie: add a line oozie=<host>"), e.problems());
  }

  @Test
  void replicationAboveTheDataNodesAndAnEvenQuorumAreRefused() throws Exception {
    InvalidDescriptionException e = invalid(local("hdfs.replication=3\nzookeeper=local,local\n"
        + "zookeeper.2.port.client=2182\nzookeeper.2.port.admin=8181\nzookeeper.2.port.peer=2889\n"
        + "zookeeper.2.port.election=3889\n"));
    assertEquals(List.of("hdfs.replication=3 but only 2 datanode(s): every block would stay"
        + " under-replicated", "2 zookeeper servers: a quorum needs an odd number (1, 3, 5)"),
        e.problems());
  }

  @Test
  void badPortsAndHeapsAreNamed() throws Exception {
    InvalidDescriptionException e = invalid(local("solr.2.port.http=99999\noozie.heap=lots\n"));
    assertEquals(List.of("solr.2: port http is '99999', not a number 1-65535",
        "oozie: heap 'lots' is not like 512m or 2g"), e.problems());
  }
}

package org.tinytags.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
  @TempDir
  Path out;

  private static ClusterConfig local(Path state) throws Exception {
    return new ClusterConfig(ClusterDescription.load(
        ClusterDescriptionTest.CLUSTERS.resolve("local.properties")),
        Map.of("state", state.toString(), "user", "alice"));
  }

  private static ClusterConfig fiveHosts() throws Exception {
    return new ClusterConfig(ClusterDescription.load(
        ClusterDescriptionTest.CLUSTERS.resolve("five-hosts.properties")), Map.of());
  }

  @Test
  void eachInstanceGetsItsOwnPortsAndDirectories() throws Exception {
    local(out).renderHost("local", out);
    String dn2 = Files.readString(out.resolve("daemons/datanode.2/conf/hdfs-site.xml"));
    assertTrue(dn2.contains("<name>dfs.datanode.address</name><value>127.0.0.1:9966</value>"), dn2);
    assertTrue(dn2.contains("<value>file://" + out + "/data/datanode.2/data</value>"), dn2);
    String nm2 = Files.readString(out.resolve("daemons/nodemanager.2/conf/mapred-site.xml"));
    assertTrue(nm2.contains("<name>mapreduce.shuffle.port</name><value>13563</value>"), nm2);
    List<String> args = Files.readAllLines(out.resolve("daemons/datanode.2/daemon.args"));
    assertEquals(List.of("-Xmx512m", "-Dtinytags.daemon=datanode.2",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.io.tmpdir=" + out + "/data/datanode.2/tmp",
        "-Dhadoop.log.dir=" + out + "/logs", "-Dhadoop.log.file=datanode.2.log",
        "-Dhadoop.root.logger=INFO,RFA",
        "-Dlog4j.configuration=file:" + out + "/daemons/datanode.2/conf/log4j.properties", "-cp",
        out + "/daemons/datanode.2/conf:" + out + "/install/lib/hadoop/*",
        "org.apache.hadoop.hdfs.server.datanode.DataNode"), args);
    assertEquals("NAME=datanode.2\nROLE=datanode\nADDRESS=127.0.0.1\nPORTS='data=9966 http=9964 ipc=9967'\n"
        + "DATA=" + out + "/data/datanode.2\nCONF=" + out + "/daemons/datanode.2/conf\nSERVICE_USER=alice\n"
        + "UNIT=tinytags-datanode.2.service\nLOG=" + out + "/logs/datanode.2.log\n",
        Files.readString(out.resolve("daemons/datanode.2/daemon.env")));
  }

  @Test
  void theClientConfigurationIsAHadoopConfDirWithTheClusterAddresses() throws Exception {
    local(out).renderHost("local", out);
    String core = Files.readString(out.resolve("conf/core-site.xml"));
    assertTrue(core.contains("<name>fs.defaultFS</name><value>hdfs://127.0.0.1:8020</value>"), core);
    String mapred = Files.readString(out.resolve("conf/mapred-site.xml"));
    assertTrue(mapred.contains("<name>mapreduce.application.classpath</name><value>" + out
        + "/install/lib/hadoop/*</value>"), mapred);
    String env = Files.readString(out.resolve("conf/cluster.env"));
    assertTrue(env.contains("HIVESERVER2_JDBC=jdbc:hive2://127.0.0.1:10000/default\n"), env);
    assertTrue(env.contains("SOLR_ZKHOST=127.0.0.1:2181/solr\n"), env);
    assertTrue(env.contains("OOZIE_URL=http://127.0.0.1:11000/oozie\n"), env);
    assertFalse(core.contains("${"), core);
  }

  @Test
  void proxyUsersLetHueOozieAndHiveImpersonateFromTheirHostsOnly() throws Exception {
    fiveHosts().renderHost("master1", out);
    String core = Files.readString(out.resolve("conf/core-site.xml"));
    assertTrue(core.contains("<name>hadoop.proxyuser.hue.hosts</name><value>10.20.0.12</value>"), core);
    assertTrue(core.contains("<name>hadoop.proxyuser.hue.groups</name><value>*</value>"), core);
    assertTrue(core.contains("<name>hadoop.proxyuser.oozie.hosts</name><value>10.20.0.12</value>"), core);
    assertTrue(core.contains("<name>hadoop.proxyuser.hive.hosts</name><value>10.20.0.12</value>"), core);
  }

  @Test
  void oneUserForSeveralServicesGetsOneMergedEntry() throws Exception {
    local(out).renderHost("local", out);
    String core = Files.readString(out.resolve("conf/core-site.xml"));
    assertEquals(1, core.split("hadoop.proxyuser.alice.hosts", -1).length - 1, core);
    assertTrue(core.contains("<name>hadoop.proxyuser.hue.hosts</name><value>127.0.0.1</value>"), core);
  }

  @Test
  void hueIniPointsAtEveryServiceAndItsHiveConf() throws Exception {
    fiveHosts().renderHost("master2", out);
    String ini = Files.readString(out.resolve("daemons/hue/conf/hue.ini"));
    for (String line : List.of("fs_defaultfs=hdfs://10.20.0.11:8020",
        "webhdfs_url=http://10.20.0.11:9870/webhdfs/v1", "resourcemanager_api_url=http://10.20.0.11:8088",
        "history_server_api_url=http://10.20.0.11:19888", "hive_server_host=10.20.0.12",
        "hive_server_port=10000", "hive_conf_dir=/etc/tinytags/daemons/hue/conf/hive-conf",
        "solr_url=http://10.20.0.21:8983/solr/", "oozie_url=http://10.20.0.12:11000/oozie",
        "remote_deployement_dir=/user/hue/oozie/deployments/_$USER_-oozie-$JOBID-$TIME")) {
      assertTrue(ini.contains(line + "\n"), line + " in\n" + ini);
    }
    assertTrue(Files.isRegularFile(out.resolve("daemons/hue/conf/hive-conf/hive-site.xml")));
    String oozie = Files.readString(out.resolve("daemons/oozie/conf/oozie-site.xml"));
    assertTrue(oozie.contains("<name>oozie.service.ProxyUserService.proxyuser.hue.hosts</name>"
        + "<value>10.20.0.12</value>"), oozie);
  }

  @Test
  void aRealHostRunsTheSameCommandLineUnderSystemdAsTheServiceUser() throws Exception {
    fiveHosts().renderHost("worker1", out);
    String unit = Files.readString(out.resolve("daemons/datanode.1/tinytags-datanode.1.service"));
    assertTrue(unit.contains("User=hdfs\n"), unit);
    assertTrue(unit.contains("Group=tinytags\n"), unit);
    assertTrue(unit.contains("Environment=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\n"), unit);
    assertTrue(unit.contains("ExecStart=/usr/bin/java @/etc/tinytags/daemons/datanode.1/daemon.args\n"), unit);
    assertTrue(unit.contains("WorkingDirectory=/var/lib/tinytags/datanode.1\n"), unit);
    assertTrue(Files.readString(out.resolve("daemons/solr.1/tinytags-solr.1.service")).contains("User=solr\n"));
    assertTrue(Files.readString(out.resolve("daemons/nodemanager.1/tinytags-nodemanager.1.service"))
        .contains("User=yarn\n"));
  }

  @Test
  void aQuorumGetsServerLinesAndEachServerItsNumber() throws Exception {
    fiveHosts().renderHost("worker1", out);
    String zoo = Files.readString(out.resolve("daemons/zookeeper.3/conf/zoo.cfg"));
    assertTrue(zoo.contains("server.1=10.20.0.11:2888:3888\nserver.2=10.20.0.12:2888:3888\n"
        + "server.3=10.20.0.21:2888:3888\n"), zoo);
    assertTrue(zoo.contains("clientPortAddress=10.20.0.21\n"), zoo);
    assertTrue(Files.readString(out.resolve("daemons/zookeeper.3/daemon.env")).endsWith("MYID=3\n"));
    List<String> solr = Files.readAllLines(out.resolve("daemons/solr.1/daemon.args"));
    assertEquals(List.of("org.tinytags.cluster.solr.SolrNode",
        "/etc/tinytags/daemons/solr.1/conf/solr.xml", "/var/lib/tinytags/solr.1/home",
        "10.20.0.21", "8983", "10.20.0.11:2181,10.20.0.12:2181,10.20.0.21:2181/solr"),
        solr.subList(solr.size() - 6, solr.size()));
  }

  @Test
  void setupStepsAreWrittenWhereTheyBelong() throws Exception {
    local(out).renderHost("local", out);
    for (String file : List.of("namenode/format.args", "oozie/db.args", "oozie/sharelib.args",
        "solr.1/upconfig.args", "zookeeper.1/chroot.args")) {
      assertTrue(Files.isRegularFile(out.resolve("daemons").resolve(file)), file);
    }
    assertFalse(Files.exists(out.resolve("daemons/solr.2/upconfig.args")));
    assertFalse(Files.exists(out.resolve("daemons/hue/daemon.args")));
    List<String> format = Files.readAllLines(out.resolve("daemons/namenode/format.args"));
    assertEquals(List.of("-format", "-nonInteractive", "-clusterid", "local"),
        format.subList(format.size() - 4, format.size()));
  }

  @Test
  void everyRenderedFileIsFreeOfTemplateSyntax() throws Exception {
    fiveHosts().renderHost("master2", out);
    fiveHosts().renderHost("worker1", out.resolve("w1"));
    try (var files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file);
        // $${ would reach Solr, log4j or Oozie as text; ${name:default} is Solr's own syntax.
        assertFalse(text.contains("$${"), file + "\n" + text);
        assertFalse(text.matches("(?s).*\\$\\{[a-z0-9_.-]+}.*") && !file.toString().endsWith(".properties"),
            file + " has an unresolved variable\n" + text);
      }
    }
    String solr = Files.readString(out.resolve("w1/daemons/solr.1/conf/solr.xml"));
    assertTrue(solr.contains("<int name=\"hostPort\">${hostPort:8983}</int>"), solr);
  }

  @Test
  void aClusterWithoutHueGetsNoHueProxyUsers() throws Exception {
    java.util.Properties p = ClusterDescriptionTest.local("");
    p.remove("hue");
    ClusterConfig config = new ClusterConfig(ClusterDescription.parse("no-hue", ClusterDescription.defaults(), p),
        Map.of("state", out.toString(), "user", "alice"));
    config.renderHost("local", out);
    assertFalse(Files.readString(out.resolve("conf/core-site.xml")).contains("proxyuser.hue"));
    assertFalse(Files.readString(out.resolve("daemons/oozie/conf/oozie-site.xml")).contains("proxyuser"));
    assertFalse(Files.exists(out.resolve("daemons/hue")));
  }

  @Test
  void aMissingValueNamesTheTemplate() {
    Templates t = new Templates(Map.of("a", "${b}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.render("core-site.xml", "x ${a} y"));
    assertEquals("core-site.xml: no value for ${b}", e.getMessage());
    assertEquals("log ${hadoop.log.dir}", t.render("log4j", "log $${hadoop.log.dir}"));
    IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
        () -> new Templates(Map.of("a", "${b}", "b", "${a}")).value("a"));
    assertTrue(cycle.getMessage().contains("refers to itself"), cycle.getMessage());
  }

  @Test
  void aDirectoryWithSpacesIsRefusedInACommandLine() throws Exception {
    Path spaced = out.resolve("with space");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> local(spaced).renderHost("local", out));
    assertTrue(e.getMessage().startsWith("a JVM argument may not be empty or hold spaces"), e.getMessage());
  }
}

package org.tinytags.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java command line of each daemon and of its one-off setup steps, as argument lists for a
 * {@code java @argfile}. One definition for local-cluster (which starts them as background
 * processes) and the systemd units of real hosts (which run {@code java @daemon.args}).
 */
final class Daemons {
  /** Guice (YARN's and Oozie's web apps) and JAXB (WebHDFS) define classes in java.lang. */
  private static final List<String> HADOOP_OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED");
  /** What Hive 4.0.1 reflects into on Java 17 (each seen as an InaccessibleObjectException). */
  private static final List<String> HIVE_OPENS = List.of(
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");

  private final Templates values;
  private final Path conf;

  Daemons(Templates values, Path conf) {
    this.values = values;
    this.conf = conf;
  }

  /** The arguments that start {@code instance} (everything after {@code java}). */
  List<String> daemon(Instance instance) {
    switch (instance.role()) {
      case NAMENODE:
        return hadoop(instance, "org.apache.hadoop.hdfs.server.namenode.NameNode");
      case DATANODE:
        return hadoop(instance, "org.apache.hadoop.hdfs.server.datanode.DataNode");
      case RESOURCEMANAGER:
        return hadoop(instance, "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager");
      case NODEMANAGER:
        return hadoop(instance, "org.apache.hadoop.yarn.server.nodemanager.NodeManager");
      case JOBHISTORY:
        return hadoop(instance, "org.apache.hadoop.mapreduce.v2.hs.JobHistoryServer");
      case ZOOKEEPER: {
        List<String> args = jvm(instance, "zookeeper", List.of());
        args.add("-Dzookeeper.log.dir=" + values.value("dirs.logs"));
        args.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
        args.add(conf.resolve("zoo.cfg").toString());
        return args;
      }
      case SOLR: {
        List<String> args = jvm(instance, "solr", List.of());
        args.add("-Dsolr.log.dir=" + values.value("dirs.logs"));
        // MERGEINDEXES (golive) reads shards only from paths the node allows.
        args.add("-Dsolr.allowPaths=" + values.value("solr.allow-paths"));
        args.add("org.tinytags.cluster.solr.SolrNode");
        args.add(conf.resolve("solr.xml").toString());
        args.add(values.value("solr.data") + "/home");
        args.add(instance.address());
        args.add(Integer.toString(instance.port("http")));
        args.add(values.value("solr.zkhost"));
        return args;
      }
      case HIVESERVER2: {
        List<String> args = jvm(instance, "hive", HIVE_OPENS);
        args.add("-Dhive.log.dir=" + values.value("dirs.logs"));
        args.add("-Dhive.log.file=" + instance.name() + ".log");
        args.add("-Dlog4j2.configurationFile=" + conf.resolve("hive-log4j2.properties"));
        args.add("-Dderby.stream.error.file=" + values.value("hiveserver2.data") + "/derby.log");
        args.add("org.apache.hive.service.server.HiveServer2");
        return args;
      }
      case OOZIE: {
        List<String> args = oozie(instance);
        args.add("-Djava.library.path=" + values.value("dirs.install") + "/oozie/native");
        args.add("org.apache.oozie.server.EmbeddedOozieServer");
        return args;
      }
      default:
        throw new IllegalArgumentException(instance.role().key() + " is not started by TinyTags");
    }
  }

  /** One-off steps before a daemon's first start: step name to arguments. */
  Map<String, List<String>> setup(Instance instance) {
    Map<String, List<String>> steps = new LinkedHashMap<>();
    switch (instance.role()) {
      case NAMENODE: {
        List<String> format = hadoop(instance, "org.apache.hadoop.hdfs.server.namenode.NameNode");
        format.addAll(List.of("-format", "-nonInteractive", "-clusterid", values.value("cluster.name")));
        steps.put("format", format);
        break;
      }
      case OOZIE: {
        List<String> db = oozie(instance);
        db.addAll(List.of("org.apache.oozie.tools.OozieDBCLI", "create", "-sqlfile",
            values.value("oozie.data") + "/oozie-create.sql", "-run"));
        steps.put("db", db);
        List<String> sharelib = oozie(instance);
        sharelib.addAll(List.of("org.apache.oozie.tools.OozieSharelibCLI", "create",
            "-fs", values.value("hdfs.uri"),
            "-locallib", values.value("dirs.install") + "/oozie/sharelib"));
        steps.put("sharelib", sharelib);
        break;
      }
      case SOLR:
        if (instance.index() == 1) {
          List<String> upconfig = jvm(instance, "solr", List.of());
          // SolrCLI resolves paths against solr.install.dir (an NPE without it).
          upconfig.add("-Dsolr.install.dir=" + values.value("dirs.install") + "/solr");
          upconfig.addAll(List.of("org.apache.solr.cli.SolrCLI", "zk", "upconfig",
              "-n", values.value("solr.configset"),
              "-d", values.value("dirs.install") + "/solr/configset",
              "-z", values.value("solr.zkhost")));
          steps.put("upconfig", upconfig);
        }
        break;
      case ZOOKEEPER:
        if (instance.index() == 1) {
          // SolrCloud's chroot (solr.zk.chroot) must exist before the first node starts.
          List<String> chroot = jvm(instance, "zookeeper", List.of());
          chroot.addAll(List.of("org.apache.zookeeper.ZooKeeperMain", "-server",
              values.value("zookeeper.connect"), "create", values.value("solr.zk.chroot")));
          steps.put("chroot", chroot);
        }
        break;
      default:
        break;
    }
    return steps;
  }

  private List<String> hadoop(Instance instance, String mainClass) {
    List<String> args = jvm(instance, "hadoop", HADOOP_OPENS);
    args.add(mainClass);
    return args;
  }

  private List<String> oozie(Instance instance) {
    String home = values.value("dirs.install") + "/oozie";
    List<String> args = new ArrayList<>();
    args.add("-Xmx" + instance.heap());
    args.add("-Dtinytags.daemon=" + instance.name());
    args.addAll(HADOOP_OPENS);
    args.add("-Doozie.home.dir=" + home);
    args.add("-Doozie.config.dir=" + conf);
    args.add("-Doozie.config.file=oozie-site.xml");
    args.add("-Doozie.log.dir=" + values.value("dirs.logs"));
    args.add("-Doozie.data.dir=" + values.value("oozie.data"));
    args.add("-Doozie.log4j.file=oozie-log4j.properties");
    args.add("-Doozie.log4j.reload=10");
    args.add("-Doozie.instance.id=" + instance.name());
    args.add("-Dderby.stream.error.file=" + values.value("dirs.logs") + "/" + instance.name()
        + "-derby.log");
    args.add("-Djava.io.tmpdir=" + values.value("oozie.data") + "/tmp");
    args.add("-cp");
    args.add(home + "/embedded-oozie-server:" + values.value("dirs.install") + "/lib/oozie/*");
    return args;
  }

  /** Heap, marker, temp dir, logging and class path ({@code conf} first, then the bundle). */
  private List<String> jvm(Instance instance, String bundle, List<String> opens) {
    String data = values.value(instance.role().key() + ".data");
    List<String> args = new ArrayList<>();
    args.add("-Xmx" + instance.heap());
    // Marks the process as this cluster's daemon, so a pid file can be checked against reuse.
    args.add("-Dtinytags.daemon=" + instance.name());
    args.addAll(opens);
    // Jetty and Hadoop leave files in java.io.tmpdir: keep them with the daemon's data.
    args.add("-Djava.io.tmpdir=" + data + "/tmp");
    args.add("-Dhadoop.log.dir=" + values.value("dirs.logs"));
    args.add("-Dhadoop.log.file=" + instance.name() + ".log");
    args.add("-Dhadoop.root.logger=INFO,RFA");
    args.add("-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"));
    args.add("-cp");
    args.add(conf + ":" + values.value("dirs.install") + "/lib/" + bundle + "/*");
    return args;
  }
}

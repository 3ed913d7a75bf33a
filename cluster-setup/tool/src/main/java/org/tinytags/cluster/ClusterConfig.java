package org.tinytags.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything a host of a described cluster needs, generated from the description and the
 * templates: each daemon's configuration directory and its Java command line (a {@code java
 * @argfile}, which local-cluster and the systemd units both run), the one-off setup commands
 * (formatting the NameNode, Oozie's database and sharelib, Solr's configset), and the client
 * configuration ({@code conf/}: a HADOOP_CONF_DIR, Hue's hue.ini and hive conf dir, cluster.env).
 */
public final class ClusterConfig {
  private static final String TEMPLATES = "/org/tinytags/cluster/templates/";
  /** Hadoop's configuration: every Hadoop daemon's, HiveServer2's, Oozie's and the clients'. */
  static final List<String> HADOOP_FILES = List.of("core-site.xml", "hdfs-site.xml",
      "yarn-site.xml", "mapred-site.xml", "capacity-scheduler.xml", "log4j.properties");

  private final ClusterDescription cluster;
  private final Map<String, String> externals;

  /**
   * @param externals values the description may refer to that only the caller knows, e.g.
   *     {@code state} (local-cluster's --dir) or {@code user} (who runs the local cluster)
   */
  public ClusterConfig(ClusterDescription cluster, Map<String, String> externals) {
    this.cluster = cluster;
    this.externals = Map.copyOf(externals);
  }

  public ClusterDescription cluster() {
    return cluster;
  }

  /** The variables the templates see on {@code host}, with {@code self} as "this" instance. */
  public Templates templates(String host, Instance self) {
    Map<String, String> v = new TreeMap<>(cluster.settings());
    v.putAll(externals);
    for (Role role : Role.values()) {
      if (!cluster.has(role)) {
        continue;
      }
      Instance chosen = choose(role, host, self);
      String r = role.key();
      v.put(r + ".host", chosen.address());
      v.put(r + ".name", chosen.name());
      v.put(r + ".heap", chosen.heap());
      v.put(r + ".index", Integer.toString(chosen.index()));
      v.put(r + ".data", "${dirs.data}/" + chosen.name());
      v.put(r + ".conf", "${dirs.conf}/daemons/" + chosen.name() + "/conf");
      v.put(r + ".count", Integer.toString(cluster.instances(role).size()));
      chosen.ports().forEach((name, port) -> v.put(r + ".port." + name, port.toString()));
    }
    List<Instance> zookeepers = cluster.instances(Role.ZOOKEEPER);
    v.put("zookeeper.connect", zookeepers.stream().map(z -> z.hostPort("client"))
        .collect(Collectors.joining(",")));
    v.put("zookeeper.servers", zookeepers.size() == 1 ? "" : zookeepers.stream()
        .map(z -> "server." + z.index() + "=" + z.address() + ":" + z.port("peer") + ":"
            + z.port("election"))
        .collect(Collectors.joining("\n")));
    v.put("solr.zkhost", "${zookeeper.connect}${solr.zk.chroot}");
    v.put("solr.nodes", cluster.instances(Role.SOLR).stream()
        .map(s -> s.hostPort("http")).collect(Collectors.joining(",")));
    v.put("hdfs.uri", "hdfs://${namenode.host}:${namenode.port.rpc}");
    v.put("proxyusers.xml", proxyUsers());
    // Oozie lets Hue submit and read jobs for its users, from Hue's host (none without Hue).
    v.put("oozie.proxyusers.xml", !cluster.has(Role.HUE) ? "" : property(
        "oozie.service.ProxyUserService.proxyuser.${user.hue}.hosts", cluster.first(Role.HUE).address())
        + property("oozie.service.ProxyUserService.proxyuser.${user.hue}.groups", "*").stripTrailing());
    v.put("cluster.addresses", String.join(",", new LinkedHashSet<>(cluster.hosts().values())));
    return new Templates(v);
  }

  private Instance choose(Role role, String host, Instance self) {
    if (self != null && self.role() == role) {
      return self;
    }
    return cluster.instances(role).stream().filter(i -> i.host().equals(host)).findFirst()
        .orElse(cluster.first(role));
  }

  /**
   * core-site's proxy-user entries: Hue impersonates its users (WebHDFS, HiveServer2), Oozie
   * the owners of workflows, HiveServer2 the session users (with doAs). Each service user may
   * impersonate only from its own host. On one machine several services share a user, so
   * entries are merged per user.
   */
  private String proxyUsers() {
    Map<String, Set<String>> hostsByUser = new LinkedHashMap<>();
    for (Role role : List.of(Role.HUE, Role.OOZIE, Role.HIVESERVER2)) {
      if (!cluster.has(role)) {
        continue;
      }
      String user = cluster.settings().get(role.userKey());
      hostsByUser.computeIfAbsent(user, u -> new LinkedHashSet<>())
          .add(cluster.first(role).address());
    }
    StringBuilder xml = new StringBuilder();
    hostsByUser.forEach((user, hosts) -> {
      xml.append(property("hadoop.proxyuser." + user + ".hosts", String.join(",", hosts)));
      xml.append(property("hadoop.proxyuser." + user + ".groups", "*"));
    });
    return xml.toString().stripTrailing();
  }

  private static String property(String name, String value) {
    return "  <property><name>" + name + "</name><value>" + value + "</value></property>\n";
  }

  /** A template from the jar, rendered. */
  public String render(String template, Templates values) throws IOException {
    return values.render(template, template(template));
  }

  static String template(String name) throws IOException {
    try (InputStream in = ClusterConfig.class.getResourceAsStream(TEMPLATES + name)) {
      if (in == null) {
        throw new IOException("template " + name + " is missing from the tool's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes what {@code host} needs under {@code out}: {@code conf/} (the clients'), and for each
   * instance on it {@code daemons/<instance>/conf/}, {@code daemon.args} (the JVM's arguments)
   * and any setup {@code <step>.args}. Returns the files written.
   */
  public List<Path> renderHost(String host, Path out) throws IOException {
    List<Path> written = new ArrayList<>();
    Templates client = templates(host, null);
    Path conf = out.resolve("conf");
    for (String file : HADOOP_FILES) {
      written.add(write(conf.resolve(file), render("hadoop/" + file, client)));
    }
    written.add(write(conf.resolve("cluster.env"), render("cluster.env", client)));
    for (Instance instance : cluster.on(host)) {
      Templates values = templates(host, instance);
      Path dir = out.resolve("daemons").resolve(instance.name());
      for (Map.Entry<String, String> file : files(instance.role()).entrySet()) {
        written.add(write(dir.resolve("conf").resolve(file.getKey()),
            render(file.getValue(), values)));
      }
      // Command lines name the directories where the files will live (dirs.conf), which is
      // where they are written unless rendered elsewhere to be copied there.
      Daemons daemons = new Daemons(values,
          Path.of(values.value(instance.role().key() + ".conf")));
      written.add(write(dir.resolve("daemon.env"), daemonEnv(instance, values)));
      if (instance.role() != Role.HUE) {
        written.add(write(dir.resolve("daemon.args"), argFile(daemons.daemon(instance))));
        // A real host runs the same command line under systemd.
        values.put("daemon.name", instance.name());
        values.put("daemon.user", "${" + instance.role().userKey() + "}");
        values.put("daemon.dir", "${dirs.conf}/daemons/" + instance.name());
        values.put("daemon.data", "${" + instance.role().key() + ".data}");
        written.add(write(dir.resolve(unitName(instance)), render("systemd/daemon.service", values)));
      }
      for (Map.Entry<String, List<String>> step : daemons.setup(instance).entrySet()) {
        written.add(write(dir.resolve(step.getKey() + ".args"), argFile(step.getValue())));
      }
    }
    return written;
  }

  /** The systemd unit of an instance on a real host. */
  public static String unitName(Instance instance) {
    return "tinytags-" + instance.name() + ".service";
  }

  /** What the start scripts need to know of an instance, as shell variables. */
  static String daemonEnv(Instance instance, Templates values) {
    String r = instance.role().key();
    return "NAME=" + instance.name() + "\nROLE=" + r + "\nADDRESS=" + instance.address()
        + "\nPORTS='" + instance.ports().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))
        + "'\nDATA=" + values.value(r + ".data") + "\nCONF=" + values.value(r + ".conf")
        + "\nSERVICE_USER=" + values.value(instance.role().userKey()) + "\nUNIT=" + unitName(instance)
        + "\nLOG=" + values.value("dirs.logs") + "/" + instance.name() + ".log"
        // A ZooKeeper server of a quorum finds its number in <dataDir>/myid.
        + (instance.role() == Role.ZOOKEEPER ? "\nMYID=" + instance.index() : "") + "\n";
  }

  /** The conf files of a role's instance: target name to template. */
  static Map<String, String> files(Role role) {
    Map<String, String> files = new LinkedHashMap<>();
    switch (role) {
      case ZOOKEEPER:
        files.put("zoo.cfg", "zookeeper/zoo.cfg");
        files.put("log4j.properties", "hadoop/log4j.properties");
        break;
      case SOLR:
        files.put("solr.xml", "solr/solr.xml");
        files.put("log4j.properties", "hadoop/log4j.properties");
        break;
      case HIVESERVER2:
        HADOOP_FILES.forEach(f -> files.put(f, "hadoop/" + f));
        files.put("hive-site.xml", "hive/hive-site.xml");
        files.put("hive-log4j2.properties", "hive/hive-log4j2.properties");
        break;
      case OOZIE:
        files.put("oozie-site.xml", "oozie/oozie-site.xml");
        files.put("oozie-log4j.properties", "oozie/oozie-log4j.properties");
        files.put("action-conf/default.xml", "oozie/action-default.xml");
        // HadoopAccessorService.hadoop.configurations points here.
        HADOOP_FILES.forEach(f -> files.put("hadoop-conf/" + f, "hadoop/" + f));
        break;
      case HUE:
        files.put("hue.ini", "hue/hue.ini");
        files.put("hive-conf/hive-site.xml", "hive/hive-site.xml");
        break;
      default:
        HADOOP_FILES.forEach(f -> files.put(f, "hadoop/" + f));
    }
    return files;
  }

  /** A {@code java @file}: one argument per line (no argument has spaces; checked). */
  static String argFile(List<String> args) {
    for (String arg : args) {
      if (arg.isEmpty() || arg.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("a JVM argument may not be empty or hold spaces: '"
            + arg + "' (directories with spaces are not supported)");
      }
    }
    return String.join("\n", args) + "\n";
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}

package org.tinytags.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cluster as a handful of lines (Bigtop's shape): its hosts, which roles run where, and the few
 * settings that differ from {@code defaults.properties}. Every configuration file, command line
 * and firewall rule follows from it ({@link ClusterConfig}). The grammar:
 *
 * <pre>
 * cluster.name=five-hosts
 * host.master1=10.20.0.11            a host and its address
 * datanode=worker1,worker2,worker3   a role's instances, one per listed host
 * datanode.port.http=9864            a port of every instance of a role
 * datanode.2.port.http=9964          ... or of one instance
 * datanode.heap=512m                 (also per instance)
 * hdfs.replication=2                 any setting defaults.properties names
 * </pre>
 *
 * Every problem is found before anything starts: an unknown role or setting, a role on an
 * undefined host, a required role missing, a port used twice on one address, and so on.
 */
public final class ClusterDescription {
  /** The defaults every description starts from (packaged from cluster-setup/clusters/). */
  public static final String DEFAULTS = "/org/tinytags/cluster/defaults.properties";

  private static final Pattern HOST_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern INSTANCE_KEY =
      Pattern.compile("([a-z0-9]+)(?:\\.(\\d+))?\\.(port\\.([a-z]+)|heap)");

  private final String source;
  private final Map<String, String> hosts;
  private final List<Instance> instances;
  private final Map<String, String> settings;

  private ClusterDescription(String source, Map<String, String> hosts, List<Instance> instances,
      Map<String, String> settings) {
    this.source = source;
    this.hosts = Collections.unmodifiableMap(hosts);
    this.instances = List.copyOf(instances);
    this.settings = Collections.unmodifiableMap(settings);
  }

  /** Reads and checks {@code file} over the packaged defaults. */
  public static ClusterDescription load(Path file) throws IOException, InvalidDescriptionException {
    Properties description = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      description.load(in);
    }
    return parse(file.toString(), defaults(), description);
  }

  /** The packaged defaults. */
  public static Properties defaults() throws IOException {
    Properties defaults = new Properties();
    try (InputStream in = ClusterDescription.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IOException(DEFAULTS + " is missing from the tool's jar");
      }
      defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return defaults;
  }

  /** Checks {@code description} (named {@code source} in errors) over {@code defaults}. */
  public static ClusterDescription parse(String source, Properties defaults, Properties description)
      throws InvalidDescriptionException {
    List<String> problems = new ArrayList<>();
    Map<String, String> merged = new TreeMap<>();
    defaults.stringPropertyNames().forEach(k -> merged.put(k, defaults.getProperty(k).trim()));

    Map<String, String> hosts = new LinkedHashMap<>();
    Map<Role, List<String>> placement = new LinkedHashMap<>();
    Map<String, String> overrides = new TreeMap<>();
    for (String key : new TreeMap<>(toMap(description)).keySet()) {
      String value = description.getProperty(key).trim();
      if (key.startsWith("host.")) {
        String host = key.substring("host.".length());
        if (!HOST_NAME.matcher(host).matches()) {
          problems.add(key + ": a host name is lower-case letters, digits and '-'");
        } else if (value.isEmpty() || value.contains(" ")) {
          problems.add(key + ": give the host's address (an IP address or a DNS name)");
        } else {
          hosts.put(host, value);
        }
      } else if (Role.of(key).isPresent()) {
        placement.put(Role.of(key).get(), List.of(value.split("\\s*,\\s*")));
      } else if (INSTANCE_KEY.matcher(key).matches()) {
        overrides.put(key, value);
      } else if (merged.containsKey(key)) {
        merged.put(key, value);
      } else {
        problems.add("unknown key '" + key + "': not a host (host.<name>), a role ("
            + roleKeys() + "), a role's port or heap, or a setting of defaults.properties");
      }
    }
    if (!merged.containsKey("cluster.name") || merged.get("cluster.name").isEmpty()) {
      problems.add("cluster.name is missing");
    }

    List<Instance> instances = new ArrayList<>();
    for (Role role : Role.values()) {
      List<String> onHosts = placement.getOrDefault(role, List.of());
      if (onHosts.isEmpty() || (onHosts.size() == 1 && onHosts.get(0).isEmpty())) {
        if (role.required()) {
          problems.add("no " + role.key() + ": add a line " + role.key() + "=<host>");
        }
        continue;
      }
      if (!role.several() && onHosts.size() > 1) {
        problems.add(role.key() + " runs once per cluster, but " + role.key() + "="
            + String.join(",", onHosts) + " names " + onHosts.size() + " hosts");
        continue;
      }
      for (int i = 0; i < onHosts.size(); i++) {
        String host = onHosts.get(i);
        String name = role.several() ? role.key() + "." + (i + 1) : role.key();
        if (!hosts.containsKey(host)) {
          problems.add(name + " runs on host '" + host + "', which no host." + host
              + " line defines" + (hosts.isEmpty() ? "" : " (hosts: "
              + String.join(", ", hosts.keySet()) + ")"));
          continue;
        }
        instances.add(instance(role, i + 1, name, host, hosts.get(host), merged, overrides,
            problems));
      }
    }
    // Counted as described, so that one undefined host is one problem, not a cascade.
    Map<Role, Integer> counts = new LinkedHashMap<>();
    placement.forEach((role, onHosts) -> counts.put(role, onHosts.size()));
    checkOverrides(overrides, counts, problems);
    checkPorts(instances, problems);
    checkCounts(counts, merged, problems);
    if (!problems.isEmpty()) {
      throw new InvalidDescriptionException(source, problems);
    }
    return new ClusterDescription(source, hosts, instances, merged);
  }

  private static Instance instance(Role role, int index, String name, String host,
      String address, Map<String, String> settings, Map<String, String> overrides,
      List<String> problems) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String port : role.ports()) {
      String key = role.key() + ".port." + port;
      String value = overrides.getOrDefault(role.key() + "." + index + ".port." + port,
          overrides.getOrDefault(key, settings.get(key)));
      if (value == null) {
        problems.add(name + ": no port " + port + " (defaults.properties lacks " + key + ")");
        continue;
      }
      try {
        int number = Integer.parseInt(value);
        if (number < 1 || number > 65535) {
          throw new NumberFormatException();
        }
        ports.put(port, number);
      } catch (NumberFormatException e) {
        problems.add(name + ": port " + port + " is '" + value + "', not a number 1-65535");
      }
    }
    String heapKey = role.key() + ".heap";
    String heap = overrides.getOrDefault(role.key() + "." + index + ".heap",
        overrides.getOrDefault(heapKey, settings.getOrDefault(heapKey, "1g")));
    if (!heap.matches("\\d+[mg]")) {
      problems.add(name + ": heap '" + heap + "' is not like 512m or 2g");
    }
    return new Instance(role, index, name, host, address, ports, heap);
  }

  /** Port and heap lines must name a role, an instance and a port that exist. */
  private static void checkOverrides(Map<String, String> overrides, Map<Role, Integer> counts,
      List<String> problems) {
    for (String key : overrides.keySet()) {
      Matcher m = INSTANCE_KEY.matcher(key);
      m.matches();
      Role role = Role.of(m.group(1)).orElse(null);
      if (role == null) {
        problems.add("unknown key '" + key + "': no role " + m.group(1) + " (" + roleKeys() + ")");
        continue;
      }
      if (m.group(4) != null && !role.ports().contains(m.group(4))) {
        problems.add(key + ": " + role.key() + " has no port " + m.group(4) + " (its ports: "
            + String.join(", ", role.ports()) + ")");
      }
      if (m.group(2) != null) {
        int index = Integer.parseInt(m.group(2));
        int count = counts.getOrDefault(role, 0);
        if (index < 1 || index > count) {
          problems.add(key + ": there is no " + role.key() + "." + index + " (" + count
              + " " + role.key() + " in the description)");
        }
      }
    }
  }

  /** No two listeners on one address may share a port. */
  private static void checkPorts(List<Instance> instances, List<String> problems) {
    Map<String, String> users = new LinkedHashMap<>();
    for (Instance instance : instances) {
      for (Map.Entry<String, Integer> port : instance.ports().entrySet()) {
        String where = instance.address() + ":" + port.getValue();
        String who = instance.name() + " (" + port.getKey() + ")";
        String before = users.putIfAbsent(where, who);
        if (before != null) {
          problems.add("port " + port.getValue() + " on " + instance.host() + " ("
              + instance.address() + ") is used twice: by " + before + " and by " + who);
        }
      }
    }
  }

  private static void checkCounts(Map<Role, Integer> counts, Map<String, String> settings,
      List<String> problems) {
    int dataNodes = counts.getOrDefault(Role.DATANODE, 0);
    String replication = settings.get("hdfs.replication");
    try {
      if (replication != null && dataNodes > 0 && Integer.parseInt(replication) > dataNodes) {
        problems.add("hdfs.replication=" + replication + " but only " + dataNodes
            + " datanode(s): every block would stay under-replicated");
      }
    } catch (NumberFormatException e) {
      problems.add("hdfs.replication is '" + replication + "', not a number");
    }
    int zookeepers = counts.getOrDefault(Role.ZOOKEEPER, 0);
    if (zookeepers > 1 && zookeepers % 2 == 0) {
      problems.add(zookeepers + " zookeeper servers: a quorum needs an odd number (1, 3, 5)");
    }
  }

  private static Map<String, String> toMap(Properties p) {
    return p.stringPropertyNames().stream()
        .collect(Collectors.toMap(k -> k, p::getProperty));
  }

  private static String roleKeys() {
    return java.util.Arrays.stream(Role.values()).map(Role::key).collect(Collectors.joining(", "));
  }

  /** Where it was read from (for messages). */
  public String source() {
    return source;
  }

  public String name() {
    return settings.get("cluster.name");
  }

  /** Host name to address, in the description's (alphabetical) order. */
  public Map<String, String> hosts() {
    return hosts;
  }

  public List<Instance> instances() {
    return instances;
  }

  public List<Instance> instances(Role role) {
    return instances.stream().filter(i -> i.role() == role).collect(Collectors.toList());
  }

  /** The instances on one host. */
  public List<Instance> on(String host) {
    return instances.stream().filter(i -> i.host().equals(host)).collect(Collectors.toList());
  }

  /** The first instance of a role: the one a single-instance role has. */
  public Instance first(Role role) {
    return instances.stream().filter(i -> i.role() == role).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + role.key() + " in " + source));
  }

  public boolean has(Role role) {
    return instances.stream().anyMatch(i -> i.role() == role);
  }

  public Instance instance(String name) {
    return instances.stream().filter(i -> i.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no instance " + name + " in " + source
            + " (instances: " + instances.stream().map(Instance::name)
            .collect(Collectors.joining(", ")) + ")"));
  }

  /** Every setting (defaults overridden by the description), values not yet resolved. */
  public Map<String, String> settings() {
    return settings;
  }
}

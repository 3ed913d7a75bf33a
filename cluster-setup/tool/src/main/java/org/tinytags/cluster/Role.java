package org.tinytags.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of daemon a cluster description may place on hosts, with the ports it listens on. The
 * port numbers themselves come from {@code clusters/defaults.properties} and the description.
 */
public enum Role {
  ZOOKEEPER(true, true, "zookeeper", "client", "admin", "peer", "election"),
  NAMENODE(false, true, "hdfs", "rpc", "http"),
  DATANODE(true, true, "hdfs", "data", "http", "ipc"),
  RESOURCEMANAGER(false, true, "yarn", "rpc", "scheduler", "tracker", "admin", "http"),
  NODEMANAGER(true, true, "yarn", "rpc", "localizer", "http", "shuffle"),
  JOBHISTORY(false, true, "mapred", "rpc", "http", "admin"),
  HIVESERVER2(false, true, "hive", "thrift", "http"),
  SOLR(true, true, "solr", "http"),
  OOZIE(false, true, "oozie", "http"),
  /** Hue is not installed by TinyTags (it is not on Maven Central); its host gets hue.ini. */
  HUE(false, false, "hue", "http");

  private final boolean several;
  private final boolean required;
  private final String service;
  private final List<String> ports;

  Role(boolean several, boolean required, String service, String... ports) {
    this.several = several;
    this.required = required;
    this.service = service;
    this.ports = List.of(ports);
  }

  /** The setting naming the system user it runs as ({@code user.hdfs} for HDFS's daemons). */
  public String userKey() {
    return "user." + service;
  }

  /** The name used in descriptions, file names and instance names ({@code datanode.2}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a cluster may run more than one instance (DataNodes, ZooKeeper's quorum, ...). */
  public boolean several() {
    return several;
  }

  /** Whether every cluster must run one. */
  public boolean required() {
    return required;
  }

  /** The names of the ports the role listens on, as in {@code datanode.port.http}. */
  public List<String> ports() {
    return ports;
  }

  /** The role with this {@link #key()}. */
  public static Optional<Role> of(String key) {
    for (Role role : values()) {
      if (role.key().equals(key)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}

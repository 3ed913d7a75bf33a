package org.tinytags.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of daemon a cluster description may place on hosts, with the ports it listens on. The
 * port numbers themselves come from {@code clusters/defaults.properties} and the description.
 */
public enum Role {
  ZOOKEEPER(true, true, "client", "admin", "peer", "election"),
  NAMENODE(false, true, "rpc", "http"),
  DATANODE(true, true, "data", "http", "ipc"),
  RESOURCEMANAGER(false, true, "rpc", "scheduler", "tracker", "admin", "http"),
  NODEMANAGER(true, true, "rpc", "localizer", "http", "shuffle"),
  JOBHISTORY(false, true, "rpc", "http", "admin"),
  HIVESERVER2(false, true, "thrift", "http"),
  SOLR(true, true, "http"),
  OOZIE(false, true, "http"),
  /** Hue is not installed by TinyTags (it is not on Maven Central); its host gets hue.ini. */
  HUE(false, false, "http");

  private final boolean several;
  private final boolean required;
  private final List<String> ports;

  Role(boolean several, boolean required, String... ports) {
    this.several = several;
    this.required = required;
    this.ports = List.of(ports);
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

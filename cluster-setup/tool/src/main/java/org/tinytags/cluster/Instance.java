package org.tinytags.cluster;

import java.util.Map;

/**
 * One daemon of a cluster: a role on a host, with its ports and heap.
 *
 * @param role what it runs
 * @param index 1, 2, ... among the role's instances, in the description's order
 * @param name {@code namenode} for a role that runs once, {@code datanode.2} for one that may run
 *     several times: the name of its directories, pid file and service
 * @param host the host's name in the description
 * @param address the host's address (what the daemon binds to and others connect to)
 * @param ports port name to number, for every port of {@link Role#ports()}
 * @param heap the JVM's maximum heap, as {@code -Xmx} takes it
 */
public record Instance(Role role, int index, String name, String host, String address,
    Map<String, Integer> ports, String heap) {

  public int port(String portName) {
    Integer port = ports.get(portName);
    if (port == null) {
      throw new IllegalArgumentException(role.key() + " has no port named " + portName);
    }
    return port;
  }

  /** {@code address:port} of one of its ports. */
  public String hostPort(String portName) {
    return address + ":" + port(portName);
  }
}

package org.tinytags.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster tool's command line, for local-cluster and the deploy script:
 *
 * <pre>
 * check     &lt;description&gt;                      check it; print hosts and daemons
 * instances &lt;description&gt; [--host H]           one line per daemon: name role host address
 * render    &lt;description&gt; --host H --out DIR   write H's conf/ and daemons/
 * value     &lt;description&gt; KEY...               print resolved settings, one per line
 * firewall  &lt;description&gt; --host H            print H's nftables rules
 * </pre>
 *
 * Every command takes {@code --set name=value} for the values a description leaves to its
 * caller ({@code state}, {@code user}). Exit codes: 0 done, 1 failed, 2 bad description or usage.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println("usage: cluster-tool check|instances|render|value|firewall <description>"
          + " [--host H] [--out DIR] [--set name=value ...] [KEY]");
      return 2;
    }
    String command = args[0];
    Path file = Path.of(args[1]);
    Map<String, String> externals = new LinkedHashMap<>();
    String host = null;
    Path outDir = null;
    List<String> rest = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--host":
          host = args[++i];
          break;
        case "--out":
          outDir = Path.of(args[++i]);
          break;
        case "--set": {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          if (eq < 1) {
            err.println("--set wants name=value, not '" + pair + "'");
            return 2;
          }
          externals.put(pair.substring(0, eq), pair.substring(eq + 1));
          break;
        }
        default:
          rest.add(args[i]);
      }
    }
    try {
      ClusterDescription cluster = ClusterDescription.load(file);
      ClusterConfig config = new ClusterConfig(cluster, externals);
      switch (command) {
        case "check":
          out.printf("cluster %s: %d host(s), %d daemon(s)%n", cluster.name(),
              cluster.hosts().size(), cluster.instances().size());
          for (String h : cluster.hosts().keySet()) {
            out.printf("  %s (%s): %s%n", h, cluster.hosts().get(h), String.join(" ",
                cluster.on(h).stream().map(Instance::name).toList()));
          }
          return 0;
        case "instances":
          for (Instance i : cluster.instances()) {
            if (host == null || i.host().equals(host)) {
              out.println(i.name() + " " + i.role().key() + " " + i.host() + " " + i.address());
            }
          }
          return 0;
        case "render": {
          if (host == null || outDir == null) {
            err.println("render needs --host and --out");
            return 2;
          }
          checkHost(cluster, host);
          int files = config.renderHost(host, outDir).size();
          out.printf("rendered %d files for %s of cluster %s into %s%n", files, host,
              cluster.name(), outDir);
          return 0;
        }
        case "value": {
          if (rest.isEmpty()) {
            err.println("value needs a KEY");
            return 2;
          }
          Templates values = config.templates(host != null ? host
              : cluster.hosts().keySet().iterator().next(), null);
          for (String key : rest) {
            out.println(values.value(key));
          }
          return 0;
        }
        case "firewall":
          if (host == null) {
            err.println("firewall needs --host");
            return 2;
          }
          checkHost(cluster, host);
          out.print(new Firewall(config).rules(host));
          return 0;
        default:
          err.println("unknown command '" + command + "' (check, instances, render, value, firewall)");
          return 2;
      }
    } catch (InvalidDescriptionException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println(file + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("cluster-tool: " + e.getMessage());
      return 1;
    }
  }

  private static void checkHost(ClusterDescription cluster, String host) {
    if (!cluster.hosts().containsKey(host)) {
      throw new IllegalArgumentException("no host " + host + " (hosts: "
          + String.join(", ", cluster.hosts().keySet()) + ")");
    }
  }
}

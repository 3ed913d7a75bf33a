package org.tinytags.cli;

import org.apache.hadoop.conf.Configuration;

/** JVM flags the task JVMs need on Java 17. */
public final class JvmOptions {
  /**
   * Mahout serialises its tree builder with XStream 1.4.4, which reflects into these packages;
   * Hadoop itself needs java.lang and friends. Same list as bin/tinytags and the parent POM.
   */
  public static final String ADD_OPENS = String.join(" ",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.desktop/java.awt.font=ALL-UNNAMED");

  private JvmOptions() {}

  /** Appends {@link #ADD_OPENS} to the map and reduce task JVM options unless already there. */
  public static void addOpensForTasks(Configuration conf) {
    for (String key : new String[] {"mapreduce.map.java.opts", "mapreduce.reduce.java.opts"}) {
      String current = conf.get(key, "");
      if (!current.contains("java.base/java.util=")) {
        conf.set(key, (current + " " + ADD_OPENS).trim());
      }
    }
  }
}

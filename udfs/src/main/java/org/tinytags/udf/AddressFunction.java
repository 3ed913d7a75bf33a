package org.tinytags.udf;

import org.apache.hadoop.hive.ql.exec.MapredContext;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.session.SessionState;

/**
 * A function that builds an address on a base taken from a session variable
 * ({@code SET tinytags.web.url=…}). Where the function is compiled and where fetch tasks run
 * (HiveServer2, an embedded Hive) the variable is in the session's configuration; in a MapReduce
 * task there is no session, but Hive copies the session's settings into the job's
 * configuration, which {@link #configure} receives before {@code initialize}.
 */
abstract class AddressFunction extends TinyTagsFunction {
  private final String key;
  private final String example;
  private String base;

  protected AddressFunction(String key, String example) {
    this.key = key;
    this.example = example;
  }

  @Override
  public void configure(MapredContext context) {
    String fromJob = context.getJobConf().get(key);
    if (fromJob != null && !fromJob.isBlank()) {
      base = withoutTrailingSlash(fromJob.trim());
    }
  }

  /** The base, from the session unless a task's configuration gave it; else an error. */
  protected String base() throws UDFArgumentException {
    if (base == null) {
      SessionState session = SessionState.get();
      String fromSession = session == null ? null : session.getConf().get(key);
      if (fromSession == null || fromSession.isBlank()) {
        throw new UDFArgumentException(sqlName() + " needs the session variable " + key
            + ": SET " + key + "=" + example + ";");
      }
      base = withoutTrailingSlash(fromSession.trim());
    }
    return base;
  }

  private static String withoutTrailingSlash(String address) {
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }
}

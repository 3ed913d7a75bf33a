package org.tinytags.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * A command run as an Oozie java action. Oozie's launcher reports a main class that calls
 * {@code System.exit(1)} only as "Main Class [...], exit code [1]", but an exception's message
 * as the action's error, which {@code ${wf:errorMessage(...)}}, the kill node, Hue and {@code
 * oozie run} then show. So the command's error line (what it printed to stderr as {@code
 * tinytags <command>: ...}) is kept while it runs and thrown if it fails; success returns.
 */
public final class OozieAction {
  /** Set by Oozie's launcher in the JVM that runs a java action's main class. */
  public static final String ACTION_ID = "oozie.action.id";
  private static final int KEEP = 16 * 1024;

  private OozieAction() {}

  /** Names the action's configuration file (action.xml in the launcher's working directory). */
  public static final String ACTION_CONF = "oozie.action.conf.xml";

  public static boolean running() {
    return System.getProperty(ACTION_ID) != null;
  }

  /**
   * The action's configuration over Hadoop's defaults: the workflow's name node (fs.defaultFS),
   * ResourceManager, queue and its {@code <configuration>}, which the launcher's class path does
   * not carry (without it, paths would name the container's local disk).
   */
  public static org.apache.hadoop.conf.Configuration configuration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    String file = System.getProperty(ACTION_CONF);
    if (file == null) {
      return conf;
    }
    org.apache.hadoop.conf.Configuration action = new org.apache.hadoop.conf.Configuration(false);
    action.addResource(new org.apache.hadoop.fs.Path("file://" + new java.io.File(file)
        .getAbsolutePath()));
    for (java.util.Map.Entry<String, String> entry : action) {
      if (!launcherOwn(entry.getKey())) {
        conf.set(entry.getKey(), entry.getValue());
      }
    }
    return conf;
  }

  /**
   * The launcher job's own wiring, which a job the command submits must not inherit: its
   * distributed cache holds the application's lib/ (the shaded job jar, whose Jetty would then
   * sit on the class path of every MapReduce ApplicationMaster beside Hadoop's) and its jar.
   */
  static boolean launcherOwn(String key) {
    return key.startsWith("mapreduce.job.cache.") || key.startsWith("mapreduce.job.classpath.")
        || key.equals("mapreduce.job.jar") || key.equals("mapreduce.job.user.classpath.first")
        || key.equals("mapreduce.job.classloader") || key.startsWith("tmp")
        || key.startsWith("mapreduce.job.dir") || key.equals("mapreduce.job.name");
  }

  /** Runs {@code command}, stderr copied as it goes; a non-zero status is thrown with its error. */
  public static void run(String[] args, ToIntFunction<String[]> command) {
    PrintStream err = System.err;
    Tail tail = new Tail(err);
    System.setErr(new PrintStream(tail, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = command.applyAsInt(args);
    } finally {
      System.err.flush();
      System.setErr(err);
    }
    if (status != 0) {
      throw new CommandFailedException(status, tail.errorLine());
    }
  }

  /** A command's failure, as the action's error message. */
  public static final class CommandFailedException extends RuntimeException {
    private final int status;

    CommandFailedException(int status, String errorLine) {
      super(errorLine == null ? "tinytags exited with status " + status : errorLine);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Passes everything on, and keeps the last {@link #KEEP} bytes to find the error in. */
  private static final class Tail extends OutputStream {
    private final PrintStream out;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Tail(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) {
      out.write(b);
      kept.write(b);
      trim();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      out.write(b, off, len);
      kept.write(b, off, len);
      trim();
    }

    @Override
    public void flush() {
      out.flush();
    }

    private void trim() {
      if (kept.size() > 2 * KEEP) {
        byte[] bytes = kept.toByteArray();
        kept.reset();
        kept.write(bytes, bytes.length - KEEP, KEEP);
      }
    }

    /** The last line a command printed as {@code tinytags <command>: <error>}, or null. */
    synchronized String errorLine() {
      String[] lines = kept.toString(StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith("tinytags")) {
          return lines[i].strip();
        }
      }
      return null;
    }
  }
}

package org.tinytags.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import org.apache.commons.io.output.CountingOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.split.JobSplitWriter;
import org.apache.hadoop.util.ApplicationClassLoader;
import org.apache.hadoop.util.ClassUtil;
import org.apache.hadoop.util.ReflectionUtils;

/** Runs a job to the end and turns a failure into an exception that says why. */
public final class Jobs {
  private Jobs() {}

  /**
   * The jar to ship: the one named by {@code mapreduce.job.jar} if set (the mini-cluster tests
   * name the built job jar so), else the jar holding {@code driver} (what {@code hadoop jar}
   * runs). {@code setJarByClass} alone would replace a named jar with whatever jar is on the
   * class path.
   */
  public static String jobJar(Configuration conf, Class<?> driver) {
    String named = conf.get(MRJobConfig.JAR);
    return named != null ? named : ClassUtil.findContainingJar(driver);
  }

  /** Ships {@link #jobJar} and isolates its classes: see {@link #useJobClassLoader}. */
  public static void setJar(Job job, Class<?> driver) {
    String jar = jobJar(job.getConfiguration(), driver);
    if (jar != null) {
      job.setJar(jar);
    }
    useJobClassLoader(job.getConfiguration());
  }

  /**
   * Turns on {@code mapreduce.job.classloader} unless the user set it. The job jar carries Solr
   * and its Jetty 10, Jackson and Jersey, newer than a cluster's own: without a class loader of
   * its own, the AM of any TinyTags job dies with NoSuchFieldError in Jetty's HpackContext.
   * mapred-default.xml sets the key false, so {@code setIfUnset} would never fire.
   */
  public static void useJobClassLoader(Configuration conf) {
    String key = MRJobConfig.MAPREDUCE_JOB_CLASSLOADER;
    String[] sources = conf.getPropertySources(key);
    boolean userSet = sources != null && java.util.Arrays.stream(sources)
        .anyMatch(source -> !source.endsWith("-default.xml"));
    if (!userSet) {
      conf.setBoolean(key, true);
    }
    // The job class loader takes every org.apache.hadoop.* class from the cluster, as a
    // "system class" (a list of prefixes; "-" excludes). Hive's storage API
    // (org.apache.hadoop.hive.ql.exec.vector, which ORC writes through) is not on a cluster's
    // class path but in the job jar: without the exclusion every classify task fails on a real
    // cluster, and its first error is hidden behind the retry. Hadoop excludes HBase the same way.
    if (conf.get(MRJobConfig.MAPREDUCE_JOB_CLASSLOADER_SYSTEM_CLASSES) == null) {
      conf.set(MRJobConfig.MAPREDUCE_JOB_CLASSLOADER_SYSTEM_CLASSES,
          "-org.apache.hadoop.hive.," + ApplicationClassLoader.SYSTEM_CLASSES_DEFAULT);
    }
  }

  /**
   * Set by {@code bench plan}: {@link #run} plans the job as submission would (splits, split
   * files, job.xml) and throws {@link Planned} instead of running it.
   */
  public static final String PLAN_ONLY = "tinytags.plan-only";

  /** What planning a job produced; thrown by {@link #run} under {@link #PLAN_ONLY}. */
  public static final class Planned extends IOException {
    private final int tasks;
    private final long splitsNanos;
    private final long jobXmlBytes;
    private final long splitFileBytes;

    Planned(String job, int tasks, long splitsNanos, long jobXmlBytes, long splitFileBytes) {
      super(job + ": planned only (" + PLAN_ONLY + ")");
      this.tasks = tasks;
      this.splitsNanos = splitsNanos;
      this.jobXmlBytes = jobXmlBytes;
      this.splitFileBytes = splitFileBytes;
    }

    /** Map tasks: one per split. */
    public int tasks() {
      return tasks;
    }

    /** Time {@code getSplits} took. */
    public long splitsNanos() {
      return splitsNanos;
    }

    /** Bytes of the job.xml every task would read. */
    public long jobXmlBytes() {
      return jobXmlBytes;
    }

    /** Bytes of job.split and job.splitmetainfo. */
    public long splitFileBytes() {
      return splitFileBytes;
    }
  }

  /** Waits for {@code job}, printing progress; throws with the first task's error if it fails. */
  public static void run(Job job) throws IOException, InterruptedException {
    if (job.getConfiguration().getBoolean(PLAN_ONLY, false)) {
      throw plan(job);
    }
    // Commit algorithm 1 publishes task output only at job commit. With 2 (the default in
    // some distributions) finished tasks land in the output at once, and a failed job leaves
    // half its output behind.
    job.getConfiguration().setInt("mapreduce.fileoutputcommitter.algorithm.version", 1);
    boolean succeeded;
    LocalTaskErrors localErrors = LocalTaskErrors.watch(job.getConfiguration());
    try {
      succeeded = job.waitForCompletion(true);
    } catch (ClassNotFoundException e) {
      throw new IOException("job " + job.getJobName() + " could not load a class: " + e, e);
    } finally {
      if (localErrors != null) {
        localErrors.stop();
      }
    }
    if (!succeeded) {
      String local = localErrors == null ? null : localErrors.first(job.getJobID().toString());
      throw new IOException(job.getJobName() + " (" + job.getJobID() + ") failed: "
          + (local != null ? local : reason(job)));
    }
  }

  /** Plans {@code job} as JobSubmitter does, short of the RPC: splits, their files, job.xml. */
  private static Planned plan(Job job) throws IOException, InterruptedException {
    Configuration conf = job.getConfiguration();
    long start = System.nanoTime();
    List<InputSplit> splits;
    try {
      splits = ReflectionUtils.newInstance(job.getInputFormatClass(), conf).getSplits(job);
    } catch (ClassNotFoundException e) {
      throw new IOException("job " + job.getJobName() + " could not load a class: " + e, e);
    }
    long splitsNanos = System.nanoTime() - start;
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tinytags-plan-");
    try {
      FileSystem local = FileSystem.getLocal(conf);
      Path staging = new Path(dir.toUri());
      JobSplitWriter.createSplitFiles(staging, conf, local, splits.toArray(new InputSplit[0]));
      long splitBytes = 0;
      for (FileStatus file : local.listStatus(staging)) {
        splitBytes += file.getLen();
      }
      CountingOutputStream xml = new CountingOutputStream(OutputStream.nullOutputStream());
      conf.writeXml(xml);
      return new Planned(job.getJobName(), splits.size(), splitsNanos, xml.getByteCount(),
          splitBytes);
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
    }
  }

  /**
   * The local job runner reports no task diagnostics: it logs the failed task's error (as
   * {@code LOG.warn(jobId, new Exception(taskError))}) and ends the job FAILED. This catches
   * that log event, so a local run names its first error as a YARN run does. Hadoop logs through
   * reload4j; without it on the class path the error stays only in the log.
   */
  private static final class LocalTaskErrors {
    private static final String RUNNER = "org.apache.hadoop.mapred.LocalJobRunner";
    private final org.apache.log4j.Logger logger;
    private final org.apache.log4j.AppenderSkeleton appender;
    // By the event's message, the job id: jobs of other threads are logged here too.
    private final java.util.Map<String, Throwable> errors =
        new java.util.concurrent.ConcurrentHashMap<>();

    private LocalTaskErrors() {
      logger = org.apache.log4j.Logger.getLogger(RUNNER);
      appender = new org.apache.log4j.AppenderSkeleton() {
        @Override
        protected void append(org.apache.log4j.spi.LoggingEvent event) {
          org.apache.log4j.spi.ThrowableInformation info = event.getThrowableInformation();
          if (info != null && info.getThrowable() != null && event.getMessage() != null) {
            errors.putIfAbsent(event.getMessage().toString(), info.getThrowable());
          }
        }

        @Override
        public void close() {}

        @Override
        public boolean requiresLayout() {
          return false;
        }
      };
      logger.addAppender(appender);
    }

    /** Starts watching for a local job; null on YARN or without reload4j. */
    static LocalTaskErrors watch(Configuration conf) {
      if (!"local".equals(conf.get(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME))) {
        return null;
      }
      try {
        return new LocalTaskErrors();
      } catch (LinkageError e) {
        return null;
      }
    }

    void stop() {
      logger.removeAppender(appender);
    }

    /** The first line of the task error that failed {@code jobId}, or null. */
    String first(String jobId) {
      Throwable error = errors.get(jobId);
      if (error == null) {
        return null;
      }
      // The runner wraps the task's error in a plain Exception.
      if (error.getClass() == Exception.class && error.getCause() != null) {
        error = error.getCause();
      }
      return error.toString().lines().findFirst().orElse(error.toString());
    }
  }

  /** Completion events asked for at a time: a job of 26,000 tasks has more than one page. */
  static final int EVENTS_PER_PAGE = 1000;

  private static String reason(Job job) throws IOException, InterruptedException {
    for (int from = 0; ; from += EVENTS_PER_PAGE) {
      TaskCompletionEvent[] events = job.getTaskCompletionEvents(from, EVENTS_PER_PAGE);
      if (events == null || events.length == 0) {
        break;
      }
      for (TaskCompletionEvent event : events) {
        if (event.getStatus() == TaskCompletionEvent.Status.FAILED
            || event.getStatus() == TaskCompletionEvent.Status.TIPFAILED) {
          String[] diagnostics = job.getTaskDiagnostics(event.getTaskAttemptId());
          if (diagnostics != null && diagnostics.length > 0) {
            return diagnostics[0].lines().findFirst().orElse(diagnostics[0]);
          }
        }
      }
    }
    String info = job.getStatus().getFailureInfo();
    // The local job runner reports no diagnostics; it has logged the task's error already.
    return info == null || info.equals("NA") ? "see the task error logged above" : info;
  }
}

package org.tinytags.io;

import java.io.IOException;
import java.util.Locale;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * A test hook that makes chosen attempts of some tasks fail (or stall) midway, after they have
 * written part of their output: the fault tests prove a retried or speculative attempt leaves the
 * same output as an undisturbed run. Inert unless {@code tinytags.fault.task} is set, and then
 * only in the tasks it names.
 *
 * <ul>
 *   <li>{@code tinytags.fault.task}: a comma-separated list of tasks, {@code map:N} or {@code
 *       reduce:N} by type and index, each failing by default ({@code map:N:fail}) or stalling
 *       ({@code map:N:stall}), optionally after its own count of records ({@code
 *       reduce:0:fail:1}). A stalled attempt makes no progress until it is killed, so that the
 *       speculator starts another, and fails after {@code tinytags.fault.stall-seconds} (default
 *       300);
 *   <li>{@code tinytags.fault.attempts}: how many attempts of each fail, from the first (default
 *       1; more than {@code mapreduce.map.maxattempts} fails the job, which tests the error
 *       report);
 *   <li>{@code tinytags.fault.after}: the records (rows, trees, documents) a stage has written
 *       in the task before the fault (default 1);
 *   <li>{@code tinytags.fault.marks}: a directory where each faulted attempt leaves an empty file
 *       named by its attempt id, so a test can see the fault fired.
 * </ul>
 */
public final class InjectedFault {
  public static final String TASK = "tinytags.fault.task";
  public static final String ATTEMPTS = "tinytags.fault.attempts";
  public static final String AFTER = "tinytags.fault.after";
  public static final String STALL_SECONDS = "tinytags.fault.stall-seconds";
  public static final String MARKS = "tinytags.fault.marks";
  /** The start of the failing attempt's error. */
  public static final String MESSAGE = "injected fault";

  private static final InjectedFault NONE = new InjectedFault(null, false, Long.MAX_VALUE);

  private final TaskAttemptContext context;
  private final boolean stall;
  private final long after;

  private InjectedFault(TaskAttemptContext context, boolean stall, long after) {
    this.context = context;
    this.stall = stall;
    this.after = after;
  }

  /**
   * Sets the hook: the first {@code attempts} attempts of each of {@code tasks} ({@code map:2},
   * {@code reduce:0:stall}) fault after {@code after} records.
   */
  public static void set(Configuration conf, int attempts, long after, String... tasks) {
    conf.setStrings(TASK, tasks);
    conf.setInt(ATTEMPTS, attempts);
    conf.setLong(AFTER, after);
  }

  /** The fault for this attempt, or one that never fires. */
  public static InjectedFault of(TaskAttemptContext context) {
    Configuration conf = context.getConfiguration();
    TaskAttemptID attempt = context.getTaskAttemptID();
    for (String task : conf.getTrimmedStrings(TASK)) {
      String[] parts = task.toLowerCase(Locale.ROOT).split(":");
      TaskType type = parts[0].equals("map") ? TaskType.MAP
          : parts[0].equals("reduce") ? TaskType.REDUCE : null;
      String action = parts.length >= 3 ? parts[2] : "fail";
      if (type == null || parts.length < 2 || parts.length > 4 || !parts[1].matches("\\d+")
          || !(action.equals("fail") || action.equals("stall"))
          || parts.length == 4 && !parts[3].matches("\\d+")) {
        throw new IllegalArgumentException(TASK + ": expected map:N or reduce:N, then "
            + "optionally :fail or :stall and :records, not '" + task + "'");
      }
      if (type == attempt.getTaskType()
          && Integer.parseInt(parts[1]) == attempt.getTaskID().getId()
          && attempt.getId() < conf.getInt(ATTEMPTS, 1)) {
        long after = parts.length == 4 ? Long.parseLong(parts[3]) : conf.getLong(AFTER, 1);
        return new InjectedFault(context, action.equals("stall"), Math.max(1, after));
      }
    }
    return NONE;
  }

  /** Whether the fault is due now that the task has written {@code written} records. */
  public boolean due(long written) {
    return written >= after;
  }

  /** Fails or stalls the attempt; call when {@link #due} (after flushing partial output). */
  public void fire() throws IOException {
    Configuration conf = context.getConfiguration();
    String attempt = context.getTaskAttemptID().toString();
    String marks = conf.getTrimmed(MARKS);
    if (marks != null && !marks.isEmpty()) {
      Path mark = new Path(marks, attempt);
      FileSystem fs = mark.getFileSystem(conf);
      fs.create(mark, true).close();
    }
    if (stall) {
      long until = System.nanoTime() + conf.getLong(STALL_SECONDS, 300) * 1_000_000_000L;
      context.setStatus(MESSAGE + ": stalled after " + after + " records");
      while (System.nanoTime() < until) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IOException(MESSAGE + " in " + attempt + " after " + after + " records ("
        + TASK + ")");
  }
}

package org.tinytags.cli;

import java.io.IOException;

import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;

/** Runs a job to the end and turns a failure into an exception that says why. */
public final class Jobs {
  private Jobs() {}

  /**
   * Ships the jar named by {@code mapreduce.job.jar} if one is set (the mini-cluster tests name
   * the built job jar so), else the jar holding {@code driver} (what {@code hadoop jar} runs).
   * {@code setJarByClass} alone would replace a named jar with whatever jar is on the class path.
   */
  public static void setJar(Job job, Class<?> driver) {
    if (job.getConfiguration().get(MRJobConfig.JAR) == null) {
      job.setJarByClass(driver);
    }
  }

  /** Waits for {@code job}, printing progress; throws with the first task's error if it fails. */
  public static void run(Job job) throws IOException, InterruptedException {
    // Commit algorithm 1 publishes task output only at job commit. With 2 (the default in
    // some distributions) finished tasks land in the output at once, and a failed job leaves
    // half its output behind.
    job.getConfiguration().setInt("mapreduce.fileoutputcommitter.algorithm.version", 1);
    boolean succeeded;
    try {
      succeeded = job.waitForCompletion(true);
    } catch (ClassNotFoundException e) {
      throw new IOException("job " + job.getJobName() + " could not load a class: " + e, e);
    }
    if (!succeeded) {
      throw new IOException(job.getJobName() + " (" + job.getJobID() + ") failed: " + reason(job));
    }
  }

  private static String reason(Job job) throws IOException, InterruptedException {
    for (TaskCompletionEvent event : job.getTaskCompletionEvents(0, 1000)) {
      if (event.getStatus() == TaskCompletionEvent.Status.FAILED
          || event.getStatus() == TaskCompletionEvent.Status.TIPFAILED) {
        String[] diagnostics = job.getTaskDiagnostics(event.getTaskAttemptId());
        if (diagnostics != null && diagnostics.length > 0) {
          return diagnostics[0].lines().findFirst().orElse(diagnostics[0]);
        }
      }
    }
    String info = job.getStatus().getFailureInfo();
    // The local job runner reports no diagnostics; it has logged the task's error already.
    return info == null || info.equals("NA") ? "see the task error logged above" : info;
  }
}

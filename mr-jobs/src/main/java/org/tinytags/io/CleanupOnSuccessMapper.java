package org.tinytags.io;

import java.io.IOException;

import org.apache.hadoop.mapreduce.Mapper;

/**
 * A mapper whose {@link #cleanup} runs only after every record was mapped. Hadoop's {@link
 * Mapper#run} calls cleanup in a {@code finally}, so a cleanup that finishes the task's output
 * (checks a checksum, closes a block, emits a manifest entry) runs after a failed read too, and
 * its own error replaces the real one. Here a failure calls {@link #abandon} instead, which only
 * releases resources, and the first error is the one the task reports.
 */
public abstract class CleanupOnSuccessMapper<KI, VI, KO, VO> extends Mapper<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    setup(context);
    try {
      while (context.nextKeyValue()) {
        map(context.getCurrentKey(), context.getCurrentValue(), context);
      }
    } catch (Throwable failure) {
      abandonAfter(failure, () -> abandon(context));
      throw failure;
    }
    cleanup(context);
  }

  /** What {@code abandon} is: it may fail too. */
  interface Abandon {
    void run() throws Exception;
  }

  /** Runs {@code abandon} after {@code failure}, keeping an error of its own as suppressed. */
  static void abandonAfter(Throwable failure, Abandon abandon) {
    try {
      abandon.run();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /** After a failure: releases what setup opened, publishing nothing. */
  protected void abandon(Context context) throws IOException {}
}

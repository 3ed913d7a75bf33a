package org.tinytags.io;

import java.io.IOException;
import java.util.Iterator;

import org.apache.hadoop.mapreduce.ReduceContext;
import org.apache.hadoop.mapreduce.Reducer;

/**
 * A reducer whose {@link #cleanup} runs only after every key was reduced: see {@link
 * CleanupOnSuccessMapper}. A reducer that builds its output in cleanup (an index shard, a
 * manifest) must not publish it after a failure, nor replace the failure with its own error.
 */
public abstract class CleanupOnSuccessReducer<KI, VI, KO, VO> extends Reducer<KI, VI, KO, VO> {
  @Override
  public void run(Context context) throws IOException, InterruptedException {
    setup(context);
    try {
      while (context.nextKey()) {
        reduce(context.getCurrentKey(), context.getValues(), context);
        // As Reducer.run: a values iterator that was marked keeps a backup store to reset.
        Iterator<VI> values = context.getValues().iterator();
        if (values instanceof ReduceContext.ValueIterator<VI> marked) {
          marked.resetBackupStore();
        }
      }
    } catch (Throwable failure) {
      CleanupOnSuccessMapper.abandonAfter(failure, () -> abandon(context));
      throw failure;
    }
    cleanup(context);
  }

  /** After a failure: releases what setup opened, publishing nothing. */
  protected void abandon(Context context) throws IOException {}
}

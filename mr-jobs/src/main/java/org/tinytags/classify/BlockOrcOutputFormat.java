package org.tinytags.classify;

import java.io.IOException;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcOutputFormat;

/**
 * ORC's MapReduce output format, naming each file after its block alone
 * ({@code block=00003/part-00003.orc}) instead of after the task that wrote it. One task writes
 * each block, so names cannot collide, and a block re-run alone gets the same file name as in a
 * full run.
 */
public class BlockOrcOutputFormat extends OrcOutputFormat<OrcStruct> {
  @Override
  public Path getDefaultWorkFile(TaskAttemptContext context, String extension)
      throws IOException {
    // Any committer with a work path: the classic one, Hadoop 3.4's manifest committer (abfs,
    // gs) and the S3A committers all extend PathOutputCommitter.
    PathOutputCommitter committer = (PathOutputCommitter) getOutputCommitter(context);
    return new Path(committer.getWorkPath(), getOutputName(context) + extension);
  }
}

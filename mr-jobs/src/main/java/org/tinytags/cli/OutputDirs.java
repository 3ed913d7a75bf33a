package org.tinytags.cli;

import java.io.IOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The rules every command applies to the output it creates. */
public final class OutputDirs {
  private OutputDirs() {}

  /**
   * Makes sure {@code output} does not exist: an existing one is an error unless {@code
   * overwrite}, in which case it is deleted, unless it is or holds one of {@code inputs}.
   */
  public static void prepare(Path output, boolean overwrite, Configuration conf, Path... inputs)
      throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    Path qualified = fs.makeQualified(output);
    for (Path input : inputs) {
      Path in = input.getFileSystem(conf).makeQualified(input);
      for (Path p = in; p != null; p = p.getParent()) {
        if (p.equals(qualified)) {
          throw new IOException("output " + output + " is or contains the input " + input);
        }
      }
    }
    if (!fs.exists(output)) {
      return;
    }
    if (!overwrite) {
      throw new FileAlreadyExistsException(
          "output " + output + " already exists; pass --overwrite to replace it");
    }
    if (!fs.delete(output, true)) {
      throw new IOException("could not delete " + output + " to overwrite it");
    }
  }

  /** After a failed job: removes the output directory if the aborted commit left it empty. */
  public static void removeIfEmpty(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    if (fs.exists(output) && fs.listStatus(output).length == 0) {
      fs.delete(output, false);
    }
  }
}

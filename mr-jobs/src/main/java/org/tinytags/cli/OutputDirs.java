package org.tinytags.cli;

import java.io.IOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** The rules every command applies to the output it creates. */
public final class OutputDirs {
  private OutputDirs() {}

  /**
   * Where a command writes {@code output}: the directory itself when it is new, or, with {@code
   * overwrite}, a hidden sibling ({@code .<name>.replacing}) that {@link Output#commit} swaps in
   * once the run has succeeded, so that a failed re-run leaves the last good output intact. An
   * existing output is an error without {@code overwrite}, and always when it is or holds one of
   * {@code inputs}.
   */
  public static Output prepare(Path output, boolean overwrite, Configuration conf, Path... inputs)
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
      return new Output(fs, qualified, qualified);
    }
    if (!overwrite) {
      throw new FileAlreadyExistsException(
          "output " + output + " already exists; pass --overwrite to replace it");
    }
    Path replacing = sibling(qualified, "replacing");
    // Left by a run that was killed: only ever this class's own scratch directory.
    fs.delete(replacing, true);
    return new Output(fs, qualified, replacing);
  }

  private static Path sibling(Path output, String role) {
    return new Path(output.getParent(), "." + output.getName() + "." + role);
  }

  /** An output being written: see {@link #prepare}. */
  public static final class Output {
    private final FileSystem fs;
    private final Path output;
    private final Path dir;

    private Output(FileSystem fs, Path output, Path dir) {
      this.fs = fs;
      this.output = output;
      this.dir = dir;
    }

    /** Where the run writes: the output, or the sibling that replaces it. */
    public Path dir() {
      return dir;
    }

    /** Whether the run replaces an existing output. */
    public boolean replaces() {
      return !dir.equals(output);
    }

    /**
     * After success: puts the new output in the old one's place. The old one is moved aside
     * first and deleted last, and moved back if the new one cannot take its place; a reader
     * between the two renames finds no output for that moment.
     */
    public void commit() throws IOException {
      if (!replaces()) {
        return;
      }
      Path previous = sibling(output, "previous");
      fs.delete(previous, true);
      if (!fs.rename(output, previous)) {
        throw new IOException("could not move " + output + " aside to " + previous
            + " to replace it; the new output is in " + dir);
      }
      if (!fs.rename(dir, output)) {
        boolean restored = fs.rename(previous, output);
        throw new IOException("could not move the new output " + dir + " to " + output
            + (restored ? "; the old output is back in place" : "; the old output is in "
                + previous));
      }
      fs.delete(previous, true);
    }

    /**
     * After a failure: removes what the run wrote, leaving an old output untouched. A new
     * output directory goes if the aborted job commit left it empty.
     */
    public void abort() throws IOException {
      if (replaces()) {
        fs.delete(dir, true);
      } else if (fs.exists(output) && fs.listStatus(output).length == 0) {
        fs.delete(output, false);
      }
    }
  }

  /**
   * Renames {@code from} over the file {@code to} in one step (HDFS's rename with OVERWRITE, a
   * plain rename on POSIX file systems): a reader finds the old file or the new one, never none.
   */
  public static void replaceFile(FileSystem fs, Path from, Path to) throws IOException {
    FileContext.getFileContext(fs.getUri(), fs.getConf())
        .rename(from, to, Options.Rename.OVERWRITE);
  }
}

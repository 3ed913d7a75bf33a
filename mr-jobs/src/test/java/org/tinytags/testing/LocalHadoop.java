package org.tinytags.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.hadoop.conf.Configuration;
import org.tinytags.TinyTags;

/** Runs commands the way {@code bin/tinytags} does: local job runner, local files. */
public final class LocalHadoop {
  private LocalHadoop() {}

  public static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.setInt("mapreduce.local.map.tasks.maximum", 2);
    return conf;
  }

  /** What a command run returned and printed. */
  public record Run(int status, String out, String err) {}

  /** Runs {@code tinytags args...} in this JVM, capturing stdout and stderr. */
  public static Run tinytags(Configuration conf, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      status = TinyTags.run(conf, args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String errText = err.toString(StandardCharsets.UTF_8);
    oldErr.print(errText);
    return new Run(status, out.toString(StandardCharsets.UTF_8), errText);
  }

  public static Run tinytags(String... args) {
    return tinytags(conf(), args);
  }
}

package org.tinytags.io;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;

/**
 * Files a job's tasks read under a chosen name: the model's files, the corpus manifest, the
 * training batches. On a cluster they travel in the distributed cache, linked into each
 * container's own working directory. The local job runner would link them into the current
 * directory of the whole process instead, and skip a link when a file of that name is there: a
 * classify started inside another model's directory would silently use that model, two runs
 * from one directory would delete each other's links, and a killed run would leave links in the
 * user's tree. So local tasks read each file where it is, named in the job's configuration.
 */
public final class CacheLinks {
  private static final String LOCAL_PREFIX = "tinytags.local-file.";

  private CacheLinks() {}

  /** Ships {@code file} to the job's tasks as {@code name}, for {@link #resolve}. */
  public static void add(Job job, Path file, String name) throws IOException {
    Configuration conf = job.getConfiguration();
    Path qualified = file.getFileSystem(conf).makeQualified(file);
    if (isLocal(conf)) {
      conf.set(LOCAL_PREFIX + name, qualified.toString());
    } else {
      job.addCacheFile(link(qualified, name));
    }
  }

  /** In a task: the file {@link #add added} as {@code name}. */
  public static Path resolve(Configuration conf, String name) throws IOException {
    String local = conf.get(LOCAL_PREFIX + name);
    if (local != null) {
      return new Path(local);
    }
    FileSystem fs = FileSystem.getLocal(conf);
    return fs.makeQualified(new Path(name));
  }

  private static boolean isLocal(Configuration conf) {
    return MRConfig.LOCAL_FRAMEWORK_NAME.equals(
        conf.get(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME));
  }

  /** {@code file#name}: the cache links {@code file} into the working directory as {@code name}. */
  static URI link(Path file, String name) throws IOException {
    URI uri = file.toUri();
    try {
      return new URI(uri.getScheme(), uri.getAuthority(), uri.getPath(), null, name);
    } catch (URISyntaxException e) {
      throw new IOException("cannot link " + file + " as " + name, e);
    }
  }
}

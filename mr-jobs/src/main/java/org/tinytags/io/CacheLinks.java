package org.tinytags.io;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import org.apache.hadoop.fs.Path;

/** Distributed cache entries that appear in a task's working directory under a chosen name. */
public final class CacheLinks {
  private CacheLinks() {}

  /** {@code file#name}: the cache links {@code file} into the working directory as {@code name}. */
  public static URI link(Path file, String name) throws IOException {
    URI uri = file.toUri();
    try {
      return new URI(uri.getScheme(), uri.getAuthority(), uri.getPath(), null, name);
    } catch (URISyntaxException e) {
      throw new IOException("cannot link " + file + " as " + name, e);
    }
  }
}

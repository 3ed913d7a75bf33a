package org.tinytags.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Listings for planning splits: files with their length and the hosts of their first block, in
 * as few calls as the file system allows. On HDFS (and object stores) a located listing returns
 * the locations with the statuses, a batch of files per call. On the local file system a located
 * listing would fork a shell per file to read its permissions (RawLocalFileSystem's statuses
 * load them lazily, and LocatedFileStatus copies them), so a plain listing serves there: there
 * is no locality to find anyway.
 */
public final class HostedFiles {
  private HostedFiles() {}

  /** A file and where its first block lives (empty: anywhere). */
  public record HostedFile(Path path, long length, String[] hosts) {}

  /** The files (not directories) in {@code dir}, or under it with {@code recursive}. */
  public static List<HostedFile> list(FileSystem fs, Path dir, boolean recursive)
      throws IOException {
    List<HostedFile> files = new ArrayList<>();
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      listLocal(fs, dir, recursive, files);
      return files;
    }
    RemoteIterator<LocatedFileStatus> located = fs.listFiles(dir, recursive);
    while (located.hasNext()) {
      LocatedFileStatus file = located.next();
      BlockLocation[] blocks = file.getBlockLocations();
      files.add(new HostedFile(file.getPath(), file.getLen(),
          blocks == null || blocks.length == 0 ? new String[0] : blocks[0].getHosts()));
    }
    return files;
  }

  private static void listLocal(FileSystem fs, Path dir, boolean recursive,
      List<HostedFile> files) throws IOException {
    for (FileStatus status : fs.listStatus(dir)) {
      if (status.isDirectory()) {
        if (recursive) {
          listLocal(fs, status.getPath(), true, files);
        }
      } else {
        files.add(new HostedFile(status.getPath(), status.getLen(), new String[0]));
      }
    }
  }
}

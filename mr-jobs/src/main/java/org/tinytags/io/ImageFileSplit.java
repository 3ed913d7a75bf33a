package org.tinytags.io;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * A byte range of one image file, with the global index of the file's first image so that a
 * reader can turn byte offsets into global image indexes without listing the input again.
 */
public class ImageFileSplit extends FileSplit {
  private long fileFirstImage;

  /** For Writable deserialisation only. */
  public ImageFileSplit() {}

  public ImageFileSplit(Path file, long start, long length, String[] hosts, long fileFirstImage) {
    super(file, start, length, hosts);
    this.fileFirstImage = fileFirstImage;
  }

  /** Global index of the first image of the whole file (not of this split). */
  public long getFileFirstImage() {
    return fileFirstImage;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    super.write(out);
    out.writeLong(fileFirstImage);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    super.readFields(in);
    fileFirstImage = in.readLong();
  }

  @Override
  public String toString() {
    return super.toString() + " (file's first image " + fileFirstImage + ")";
  }
}

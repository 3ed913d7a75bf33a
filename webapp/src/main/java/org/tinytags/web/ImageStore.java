package org.tinytags.web;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinytags.image.ImageLayout;
import org.tinytags.image.ImageRecord;
import org.tinytags.io.BlockManifest;

/**
 * Reads one image's record out of the split corpus (local or HDFS) by global index and encodes
 * it as an upright PNG. Pixels never leave the block files for the index.
 */
public class ImageStore implements Closeable {
  private final FileSystem fs;
  private final Path blocksDir;
  private final BlockManifest manifest;
  private final ImageLayout layout;
  // Positioned reads (readFully(position, ...)) are safe to share between request threads.
  private final ConcurrentHashMap<Integer, FSDataInputStream> open = new ConcurrentHashMap<>();

  public ImageStore(Configuration conf, Path blocksDir) throws IOException {
    this.fs = blocksDir.getFileSystem(conf);
    this.blocksDir = blocksDir;
    this.manifest = BlockManifest.read(fs, blocksDir);
    this.layout = manifest.imageLayout();
  }

  public long images() {
    return manifest.images();
  }

  /** The PNG of image {@code id}, or a 404 if the corpus has no such image. */
  public byte[] png(long id) throws ApiException, IOException {
    if (id < 0 || id >= manifest.images()) {
      throw ApiException.notFound("image " + id + " does not exist: the corpus holds images 0-"
          + (manifest.images() - 1));
    }
    BlockManifest.Block block = manifest.blockOfImage(id);
    long offset = (id - block.firstImage()) * layout.recordBytes();
    byte[] record = new byte[layout.recordBytes()];
    FSDataInputStream in = open.computeIfAbsent(block.block(), b -> openBlock(block));
    try {
      in.readFully(offset, record);
    } catch (IOException e) {
      throw new IOException(block.file() + ": cannot read image " + id + " at byte offset "
          + offset + ": " + e.getMessage(), e);
    }
    return ImageRecord.read(layout, record, 0).toPng();
  }

  private FSDataInputStream openBlock(BlockManifest.Block block) {
    try {
      return fs.open(new Path(blocksDir, block.file()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(block.file() + " in " + blocksDir
          + " cannot be opened: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    for (FSDataInputStream in : open.values()) {
      in.close();
    }
    open.clear();
  }
}

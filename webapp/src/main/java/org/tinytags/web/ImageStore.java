package org.tinytags.web;

import java.io.Closeable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

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
 *
 * <p>Any image of the corpus is served, tagged or not: Hive's {@code thumbnail_url} gives every
 * row, untagged ones too, an address here. Open block streams are kept for reuse, at most
 * {@link #DEFAULT_OPEN_BLOCKS}; the least recently used is closed when another is needed (a
 * local block holds two descriptors, and a corpus has thousands of blocks).
 */
public class ImageStore implements Closeable {
  /** Block files kept open at once. */
  public static final int DEFAULT_OPEN_BLOCKS = 64;

  private final FileSystem fs;
  private final Path blocksDir;
  private final BlockManifest manifest;
  private final ImageLayout layout;
  private final int maxOpen;
  // Access-ordered; guarded by itself. A stream in use by a request is closed by its last user.
  private final LinkedHashMap<Integer, OpenBlock> open;
  private boolean closed;

  /** A block's stream and how many requests are reading it now. */
  private static final class OpenBlock {
    final FSDataInputStream in;
    int readers;
    boolean evicted;

    OpenBlock(FSDataInputStream in) {
      this.in = in;
    }
  }

  public ImageStore(Configuration conf, Path blocksDir) throws IOException {
    this(conf, blocksDir, DEFAULT_OPEN_BLOCKS);
  }

  public ImageStore(Configuration conf, Path blocksDir, int maxOpen) throws IOException {
    this.fs = blocksDir.getFileSystem(conf);
    this.blocksDir = blocksDir;
    this.manifest = BlockManifest.read(fs, blocksDir);
    this.layout = manifest.imageLayout();
    if (maxOpen < 1) {
      throw new IllegalArgumentException("an image store keeps at least 1 block open, not "
          + maxOpen);
    }
    this.maxOpen = maxOpen;
    this.open = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, OpenBlock> eldest) {
        if (size() <= ImageStore.this.maxOpen) {
          return false;
        }
        eldest.getValue().evicted = true;
        if (eldest.getValue().readers == 0) {
          closeQuietly(eldest.getValue());
        }
        return true;
      }
    };
  }

  public long images() {
    return manifest.images();
  }

  /** Block streams open now (at most the bound given). */
  public int openBlocks() {
    synchronized (open) {
      return open.size();
    }
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
    OpenBlock stream = acquire(block);
    try {
      // Positioned reads are safe to share between request threads.
      stream.in.readFully(offset, record);
    } catch (IOException e) {
      throw new IOException(block.file() + ": cannot read image " + id + " at byte offset "
          + offset + ": " + e.getMessage(), e);
    } finally {
      release(stream);
    }
    return ImageRecord.read(layout, record, 0).toPng();
  }

  private OpenBlock acquire(BlockManifest.Block block) throws IOException {
    synchronized (open) {
      OpenBlock stream = open.get(block.block());
      if (stream != null) {
        stream.readers++;
        return stream;
      }
    }
    // Opened outside the lock: an HDFS open is a NameNode call, and other blocks' readers
    // need not wait for it.
    FSDataInputStream in;
    try {
      in = fs.open(new Path(blocksDir, block.file()));
    } catch (IOException e) {
      throw new IOException(block.file() + " in " + blocksDir + " cannot be opened: "
          + e.getMessage(), e);
    }
    synchronized (open) {
      if (closed) {
        in.close();
        throw new IOException("the image store is closed");
      }
      OpenBlock stream = open.get(block.block());
      if (stream == null) {
        stream = new OpenBlock(in);
        open.put(block.block(), stream);
      } else {
        // Another request opened it meanwhile: use theirs.
        in.close();
      }
      stream.readers++;
      return stream;
    }
  }

  private void release(OpenBlock stream) {
    synchronized (open) {
      if (--stream.readers == 0 && stream.evicted) {
        closeQuietly(stream);
      }
    }
  }

  private static void closeQuietly(OpenBlock stream) {
    try {
      stream.in.close();
    } catch (IOException e) {
      // A read-only stream: nothing is lost if closing it fails.
    }
  }

  @Override
  public void close() {
    synchronized (open) {
      closed = true;
      for (OpenBlock stream : open.values()) {
        stream.evicted = true;
        if (stream.readers == 0) {
          closeQuietly(stream);
        }
      }
      open.clear();
    }
  }
}

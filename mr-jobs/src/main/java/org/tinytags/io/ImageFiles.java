package org.tinytags.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.tinytags.image.ImageLayout;

/**
 * The image files of an input, each with the global index of its first image.
 *
 * <p>Files of a split corpus take their first index from the {@code _manifest.json} beside them,
 * so any subset of blocks keeps its global indexes. Other files are numbered in path order, as if
 * concatenated. Every file must hold whole records: a file whose length is not a multiple of the
 * record size is refused before any task runs, because the tail would otherwise be dropped.
 */
public final class ImageFiles {

  /** One input file. */
  public record ImageFile(FileStatus status, long firstImage, long images) {
    public Path path() {
      return status.getPath();
    }
  }

  private final ImageLayout layout;
  private final List<ImageFile> files;
  private final long images;

  private ImageFiles(ImageLayout layout, List<ImageFile> files, long images) {
    this.layout = layout;
    this.files = files;
    this.images = images;
  }

  /** Indexes {@code statuses} (any order); fails on partial records or an empty input. */
  public static ImageFiles index(List<FileStatus> statuses, ImageLayout layout, Configuration conf)
      throws IOException {
    List<FileStatus> sorted = new ArrayList<>(statuses);
    sorted.sort(Comparator.comparing(FileStatus::getPath));
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    Map<Path, BlockManifest> manifests = new HashMap<>();
    List<ImageFile> files = new ArrayList<>();
    long nextUnmanifested = 0;
    long total = 0;
    for (FileStatus status : sorted) {
      Path path = status.getPath();
      if (codecs.getCodec(path) != null) {
        throw new IOException(path + ": compressed input is not supported (image indexes come "
            + "from byte offsets); decompress it first");
      }
      long length = status.getLen();
      if (length % layout.recordBytes() != 0) {
        throw new IOException(String.format(
            "%s: length %d bytes is not a multiple of the %s record size %d bytes "
                + "(%d whole records and %d bytes left over): truncated file or wrong --layout?",
            path, length, layout.id(), layout.recordBytes(), length / layout.recordBytes(),
            length % layout.recordBytes()));
      }
      long count = length / layout.recordBytes();
      BlockManifest manifest = manifestBeside(path, manifests, conf);
      long first;
      if (manifest != null) {
        first = manifestEntry(manifest, path, layout, length).firstImage();
      } else {
        first = nextUnmanifested;
        nextUnmanifested += count;
      }
      files.add(new ImageFile(status, first, count));
      total += count;
    }
    if (total == 0) {
      throw new IOException("no images in the input (" + sorted.size() + " files, all empty)");
    }
    return new ImageFiles(layout, List.copyOf(files), total);
  }

  private static BlockManifest manifestBeside(Path file, Map<Path, BlockManifest> cache,
      Configuration conf) throws IOException {
    Path dir = file.getParent();
    if (!cache.containsKey(dir)) {
      FileSystem fs = dir.getFileSystem(conf);
      cache.put(dir, fs.exists(BlockManifest.pathIn(dir)) ? BlockManifest.read(fs, dir) : null);
    }
    return cache.get(dir);
  }

  private static BlockManifest.Block manifestEntry(BlockManifest manifest, Path path,
      ImageLayout layout, long length) throws IOException {
    if (manifest.imageLayout() != layout) {
      throw new IOException(path + ": its manifest says layout " + manifest.layout()
          + " but the job reads it as " + layout.id());
    }
    BlockManifest.Block block = manifest.blockInFile(path.getName());
    if (block == null) {
      throw new IOException(path + ": not listed in " + BlockManifest.pathIn(path.getParent()));
    }
    if (block.bytes() != length) {
      throw new IOException(path + ": " + length + " bytes, but the manifest lists block "
          + block.block() + " with " + block.bytes() + " bytes");
    }
    return block;
  }

  public ImageLayout layout() {
    return layout;
  }

  /** The files in global image order. */
  public List<ImageFile> files() {
    return files;
  }

  public long images() {
    return images;
  }

  public ImageFile file(Path path) throws IOException {
    for (ImageFile f : files) {
      if (f.path().equals(path)) {
        return f;
      }
    }
    throw new IOException(path + " is not one of the indexed input files");
  }
}

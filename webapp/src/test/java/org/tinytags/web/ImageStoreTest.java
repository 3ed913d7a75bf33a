package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.io.Sha256;
import org.tinytags.testing.LocalHadoop;

/** Thumbnails from thousands of blocks keep the open file descriptors bounded. */
class ImageStoreTest {
  static final int BLOCKS = 2_000;
  @TempDir
  Path dir;

  /** A corpus of {@code BLOCKS} one-image blocks, each image one flat colour. */
  private Path corpus() throws IOException {
    List<BlockManifest.Block> blocks = new ArrayList<>();
    int bytes = ImageLayout.TINY.recordBytes();
    for (int block = 0; block < BLOCKS; block++) {
      byte[] record = new byte[bytes];
      java.util.Arrays.fill(record, (byte) block);
      Files.write(dir.resolve(BlockNames.blockFile(block)), record);
      blocks.add(new BlockManifest.Block(block, BlockNames.blockFile(block), block, 1, bytes,
          Sha256.of(record)));
    }
    new BlockManifest(ImageLayout.TINY.id(), bytes, 1, BLOCKS, (long) BLOCKS * bytes, "test",
        blocks).write(FileSystem.getLocal(LocalHadoop.conf()),
        new org.apache.hadoop.fs.Path(dir.toUri()));
    return dir;
  }

  private static long openDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void imagesFromTwoThousandBlocksInARowKeepTheOpenDescriptorsBounded() throws Exception {
    Path blocks = corpus();
    long before = openDescriptors();
    long most = 0;
    try (ImageStore store = new ImageStore(LocalHadoop.conf(),
        new org.apache.hadoop.fs.Path(blocks.toUri()))) {
      for (int id = 0; id < BLOCKS; id++) {
        byte[] png = store.png(id);
        assertTrue(png.length > 0);
        if (id % 100 == 99) {
          most = Math.max(most, openDescriptors() - before);
          assertTrue(store.openBlocks() <= ImageStore.DEFAULT_OPEN_BLOCKS, "" + store.openBlocks());
        }
      }
      // Every block read once: the bound held, and the last blocks are the ones kept.
      assertEquals(ImageStore.DEFAULT_OPEN_BLOCKS, store.openBlocks());
      assertTrue(store.png(BLOCKS - 1).length > 0);
    }
    // Two descriptors per open local block at most, plus a little for the JVM's own.
    assertTrue(most <= 2L * ImageStore.DEFAULT_OPEN_BLOCKS + 16,
        "descriptors grew by " + most + " reading " + BLOCKS + " blocks");
    assertTrue(openDescriptors() - before <= 16, "closing the store closes its streams");
  }
}

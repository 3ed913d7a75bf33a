package org.tinytags.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

/** fetch-cifar against a real HTTP server on loopback serving an archive shaped like the official one. */
class FetchCifarTest {
  private static final List<String> BATCHES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");

  @TempDir
  Path tmp;

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private byte[] archive;
  private byte[] batch;
  private String url;

  @BeforeEach
  void serveArchive() throws Exception {
    batch = TestCifar.testRecords(2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (String name : BATCHES) {
        TarArchiveEntry entry = new TarArchiveEntry(CifarDirectory.ARCHIVE_FOLDER + "/" + name);
        entry.setSize(batch.length);
        tar.putArchiveEntry(entry);
        tar.write(batch);
        tar.closeArchiveEntry();
      }
    }
    archive = bytes.toByteArray();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/cifar-10-binary.tar.gz", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, archive.length);
      exchange.getResponseBody().write(archive);
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String md5() throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
  }

  @Test
  void downloadsChecksAndUnpacksThenLeavesACompleteCopyAlone() throws Exception {
    Path dir = tmp.resolve("cifar");
    Run run = LocalHadoop.tinytags("fetch-cifar", "--dir", dir.toString(), "--url", url, "--md5",
        md5());
    assertEquals(0, run.status(), run.err());
    for (String name : BATCHES) {
      assertArrayEquals(batch, Files.readAllBytes(
          dir.resolve(CifarDirectory.ARCHIVE_FOLDER).resolve(name)), name);
    }
    assertFalse(Files.exists(dir.resolve("cifar-10-binary.tar.gz")), "archive removed");

    Run again = LocalHadoop.tinytags("fetch-cifar", "--dir", dir.toString(), "--url", url,
        "--md5", md5());
    assertEquals(0, again.status());
    assertTrue(again.err().contains("already present"), again.err());
    assertEquals(1, requests.get(), "no second download");
  }

  @Test
  void checksumMismatchKeepsNothing() throws Exception {
    Path dir = tmp.resolve("cifar");
    // The official checksum, which this small archive does not have.
    Run run = LocalHadoop.tinytags("fetch-cifar", "--dir", dir.toString(), "--url", url);
    assertEquals(1, run.status());
    assertTrue(run.err().contains("expected " + FetchCifar.OFFICIAL_MD5), run.err());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing kept");
    }
  }

  @Test
  void offlineSaysWhatToDo() throws IOException {
    Run run = LocalHadoop.tinytags("fetch-cifar", "--dir", tmp.resolve("c").toString(), "--url",
        "http://127.0.0.1:1/cifar-10-binary.tar.gz");
    assertEquals(1, run.status());
    assertTrue(run.err().contains("could not download http://127.0.0.1:1/"), run.err());
    assertTrue(run.err().contains("offline") && run.err().contains("--cifar"), run.err());
  }
}

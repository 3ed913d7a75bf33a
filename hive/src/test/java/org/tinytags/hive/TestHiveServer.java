package org.tinytags.hive;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hive.service.server.HiveServer2;

/**
 * A real HiveServer2 in this JVM: binary Thrift on 127.0.0.1, no authentication (SASL PLAIN
 * with any password, as Hue logs in), embedded Derby metastore, local files, MapReduce on the
 * local job runner. The settings are those of {@link EmbeddedHive}.
 */
final class TestHiveServer implements AutoCloseable {
  private final HiveServer2 server;
  private final int port;
  private final double startSeconds;

  TestHiveServer(Path dir) throws IOException, InterruptedException {
    long start = System.nanoTime();
    port = freePort();
    // As system properties: Hive makes new HiveConf objects of its own (the metastore's
    // background threads), which see those but not settings made on ours.
    EmbeddedHive.configure(dir);
    HiveConf conf = new HiveConf();
    conf.set("hive.server2.thrift.bind.host", "127.0.0.1");
    conf.setInt("hive.server2.thrift.port", port);
    conf.set("hive.server2.transport.mode", "binary");
    conf.set("hive.server2.authentication", "NONE");
    conf.set("hive.server2.enable.doAs", "false");
    conf.setInt("hive.server2.webui.port", 0);
    server = new HiveServer2();
    server.init(conf);
    server.start();
    waitForPort(120);
    startSeconds = (System.nanoTime() - start) / 1e9;
    System.err.printf("test: HiveServer2 on 127.0.0.1:%d ready in %.1f s%n", port, startSeconds);
  }

  String jdbcUrl() {
    return "jdbc:hive2://127.0.0.1:" + port + "/default";
  }

  int port() {
    return port;
  }

  double startSeconds() {
    return startSeconds;
  }

  private void waitForPort(int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new IOException("HiveServer2 did not listen on 127.0.0.1:" + port + " within "
        + seconds + " s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}

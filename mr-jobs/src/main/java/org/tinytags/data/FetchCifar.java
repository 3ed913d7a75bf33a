package org.tinytags.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;

/**
 * {@code fetch-cifar}: downloads the official CIFAR-10 binary archive, checks its MD5 and unpacks
 * it into a local directory. A directory that already holds a complete copy is left alone.
 */
public class FetchCifar extends Command {
  public static final String OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
  public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
  private static final int TIMEOUT_MILLIS = 30_000;

  @Override
  public String name() {
    return "fetch-cifar";
  }

  @Override
  public String summary() {
    return "Download the official CIFAR-10 binary archive, check its MD5 and unpack it.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("dir", "dir", "local directory to unpack into"))
        .addOption(flag("url", "url", "archive address, for a mirror (default " + OFFICIAL_URL
            + "); file: URLs work too"))
        .addOption(flag("md5", "hex", "expected MD5 of the archive (default " + OFFICIAL_MD5
            + ")"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    Path dir = Path.of(required(line, "dir")).toAbsolutePath();
    String url = line.getOptionValue("url", OFFICIAL_URL);
    String md5 = line.getOptionValue("md5", OFFICIAL_MD5).toLowerCase(java.util.Locale.ROOT);
    Configuration conf = getConf();
    org.apache.hadoop.fs.Path hadoopDir = new org.apache.hadoop.fs.Path(dir.toUri());
    if (Files.isDirectory(dir)) {
      try {
        CifarDirectory existing = CifarDirectory.open(hadoopDir, conf);
        System.err.println("fetch-cifar: CIFAR-10 already present in " + existing.dir());
        return 0;
      } catch (IOException incomplete) {
        // Fetch again below.
      }
    }
    Files.createDirectories(dir);
    Path archive = dir.resolve("cifar-10-binary.tar.gz");
    download(url, md5, archive);
    unpack(archive, dir);
    Files.delete(archive);
    CifarDirectory cifar = CifarDirectory.open(hadoopDir, conf);
    System.err.println("fetch-cifar: CIFAR-10 ready in " + cifar.dir());
    return 0;
  }

  /** Downloads {@code url} to {@code target}, failing unless its MD5 is {@code md5}. */
  static void download(String url, String md5, Path target) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
    System.err.println("fetch-cifar: downloading " + url);
    try {
      URLConnection connection = URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      try (InputStream in = new DigestInputStream(connection.getInputStream(), digest)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw new IOException("could not download " + url + ": " + e
          + ". If this machine is offline, download the CIFAR-10 binary version elsewhere (MD5 "
          + md5 + "), unpack it, and pass its directory with --cifar.", e);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(md5)) {
      Files.delete(partial);
      throw new IOException("downloaded " + url + " has MD5 " + actual + ", expected " + md5
          + ": corrupt or not the CIFAR-10 binary archive; nothing was kept");
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Unpacks a .tar.gz below {@code dir}, refusing entries that would land outside it. */
  static void unpack(Path archive, Path dir) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
        new BufferedInputStream(Files.newInputStream(archive))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = dir.resolve(entry.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException(archive + ": entry " + entry.getName() + " points outside " + dir);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            tar.transferTo(out);
          }
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new FetchCifar(), args));
  }
}

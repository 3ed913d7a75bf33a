package org.tinytags.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real HDFS and YARN in this JVM, one pair per test class:
 * {@code @RegisterExtension static MiniHadoopCluster cluster = new MiniHadoopCluster();}.
 *
 * <p>Jobs run in separate container JVMs from the job jar Maven built (system property {@code
 * tinytags.job.jar}, set by failsafe), exactly as {@code hadoop jar} would ship it. The JVM flags
 * containers need on Java 17 are set here; the test JVM's own flags and the timeouts are in the
 * parent POM.
 */
public class MiniHadoopCluster implements BeforeAllCallback, AfterAllCallback {
  public static final String JOB_JAR_PROPERTY = "tinytags.job.jar";

  private MiniDFSCluster dfs;
  private MiniMRYarnCluster yarn;
  private Configuration conf;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    String jobJar = System.getProperty(JOB_JAR_PROPERTY);
    if (jobJar == null || !new File(jobJar).isFile()) {
      throw new IllegalStateException("no job jar at " + JOB_JAR_PROPERTY + "=" + jobJar
          + ": run mini-cluster tests with 'mvn verify', after the package phase");
    }
    Path base = Files.createTempDirectory("tinytags-minicluster");
    Configuration hdfsConf = new Configuration();
    hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
    dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
    dfs.waitClusterUp();

    Configuration yarnConf = new Configuration(dfs.getConfiguration(0));
    // Set by failsafe from the parent POM's one list of Java 17 flags.
    String opens = System.getProperty("tinytags.container.opens", "");
    yarnConf.set("yarn.app.mapreduce.am.command-opts", "-Xmx512m " + opens);
    yarnConf.set("mapreduce.map.java.opts", "-Xmx768m -Djava.awt.headless=true " + opens);
    yarnConf.set("mapreduce.reduce.java.opts", "-Xmx512m " + opens);
    yarnConf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
    yarnConf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    yarnConf.set("yarn.nodemanager.vmem-check-enabled", "false");
    yarn = new MiniMRYarnCluster(context.getRequiredTestClass().getSimpleName(), 1);
    yarn.init(yarnConf);
    yarn.start();

    conf = new Configuration(yarn.getConfig());
    conf.set("mapreduce.job.jar", jobJar);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  /** Client configuration: HDFS as the default file system, jobs submitted to YARN. */
  public Configuration conf() {
    return new Configuration(conf);
  }

  public FileSystem fs() throws IOException {
    return dfs.getFileSystem();
  }

  /** Corrupts the data of every replica of {@code file}'s blocks on the DataNodes. */
  public void corruptReplicas(org.apache.hadoop.fs.Path file) throws IOException {
    for (var located : dfs.getFileSystem().getClient()
        .getLocatedBlocks(file.toUri().getPath(), 0).getLocatedBlocks()) {
      for (int node = 0; node < dfs.getDataNodes().size(); node++) {
        dfs.corruptReplica(node, located.getBlock());
      }
    }
  }
}

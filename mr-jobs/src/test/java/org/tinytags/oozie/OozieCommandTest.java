package org.tinytags.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.testing.LocalHadoop;

/** {@code oozie deploy|run} without a server: configuration, usage and connection errors. */
class OozieCommandTest {
  @TempDir
  Path tmp;

  @Test
  void aJobsConfigurationResolvesItsReferencesAndTheDefines() throws Exception {
    Path file = tmp.resolve("job.properties");
    Files.writeString(file, "nameNode=hdfs://nn:8020\nappPath=${nameNode}/user/${user.name}/app\n"
        + "oozie.wf.application.path=${appPath}\nworkDir=/default\nmodel=${workDir}/model\n");
    Configuration conf = OozieCommand.jobConfiguration(file,
        new String[] {"workDir=/user/alice/run", "trees=4"}, "alice");
    assertEquals("hdfs://nn:8020/user/alice/app", conf.get("oozie.wf.application.path"));
    assertEquals("/user/alice/run/model", conf.get("model"));
    assertEquals("4", conf.get("trees"));
    assertEquals("alice", conf.get("user.name"));
  }

  @Test
  void usageAndServerErrorsSayWhatIsWrong() throws Exception {
    Path noApp = tmp.resolve("nothing.properties");
    Files.writeString(noApp, "corpus=/c\n");
    var run = LocalHadoop.tinytags("oozie", "run", "--oozie", "http://127.0.0.1:1/oozie",
        "--config", noApp.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("tinytags oozie: " + noApp + " names no application "
        + "(oozie.wf.application.path or oozie.coord.application.path)"), run.err());

    Path job = tmp.resolve("job.properties");
    Files.writeString(job, "oozie.wf.application.path=hdfs://nn:8020/app\n");
    var badDefine = LocalHadoop.tinytags("oozie", "run", "--oozie", "http://127.0.0.1:1/oozie",
        "--config", job.toString(), "-D", "corpus");
    assertTrue(badDefine.err().contains("-D wants key=value, not 'corpus'"), badDefine.err());

    var down = LocalHadoop.tinytags("oozie", "run", "--oozie", "http://127.0.0.1:1/oozie",
        "--config", job.toString());
    assertEquals(1, down.status());
    assertTrue(down.err().contains("tinytags oozie: Oozie at http://127.0.0.1:1/oozie is not "
        + "answering"), down.err());

    var unknown = LocalHadoop.tinytags("oozie", "start", "--oozie", "http://127.0.0.1:1/oozie");
    assertTrue(unknown.err().contains("the actions are 'deploy' and 'run', not 'start'"),
        unknown.err());

    var noAppDir = LocalHadoop.tinytags("oozie", "deploy", "--oozie", "http://127.0.0.1:1/oozie",
        "--app", "/app", "--app-dir", tmp.toString());
    assertEquals(1, noAppDir.status());
    assertTrue(noAppDir.err().contains(tmp + " is not a TinyTags Oozie application: no "
        + "workflow.xml"), noAppDir.err());
  }
}

package org.tinytags.golive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Test;

/** Where {@code reindex} builds its shard when no {@code --work} is given. */
class ReindexWorkTest {
  @Test
  void onAClusterTheWorkIsOnTheClassifiedOutputsFileSystemNotANodesTmp() throws Exception {
    Configuration conf = new Configuration();
    // No NameNode is contacted: the home directory and qualification are computed locally.
    Path work = Reindex.defaultWork("hdfs://localhost:8020/tags/2026", conf);
    String user = UserGroupInformation.getCurrentUser().getShortUserName();
    assertTrue(work.toString().startsWith("hdfs://localhost:8020/user/" + user
        + "/.tinytags/reindex-"), work.toString());
    assertNotEquals(work, Reindex.defaultWork("hdfs://localhost:8020/tags/2026", conf),
        "each run its own");

    Path local = Reindex.defaultWork("/tmp/tags", conf);
    assertEquals("file", local.toUri().getScheme());
    assertTrue(new java.io.File(local.toUri()).isDirectory());
    new java.io.File(local.toUri()).delete();
  }
}

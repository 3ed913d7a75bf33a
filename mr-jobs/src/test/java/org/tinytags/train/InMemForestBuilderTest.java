package org.tinytags.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.mahout.classifier.df.mapreduce.Builder;
import org.apache.mahout.classifier.df.mapreduce.inmem.InMemInputFormat.InMemInputSplit;
import org.junit.jupiter.api.Test;

class InMemForestBuilderTest {
  /**
   * The local job runner sets mapreduce.job.maps (mapred.map.tasks) to 1 when it connects;
   * the trees must still be split as asked, with the same seeds, or a forest grown locally
   * differs from the same forest grown on YARN.
   */
  @Test
  void treesAreSplitByTheJobsOwnMapperCountWhateverTheRunnerSets() throws Exception {
    Configuration conf = new Configuration(false);
    Builder.setNbTrees(conf, 6);
    conf.setLong("mahout.rf.random.seed", 5L); // what Builder.build sets (privately)
    InMemForestBuilder.setMapTasks(conf, 3);
    conf.setInt("mapreduce.job.maps", 1);
    List<InputSplit> splits = new InMemForestBuilder.TreeSplits().getSplits(Job.getInstance(conf));
    assertEquals(3, splits.size());
    List<InputSplit> again = new InMemForestBuilder.TreeSplits().getSplits(Job.getInstance(conf));
    for (int i = 0; i < 3; i++) {
      InMemInputSplit split = (InMemInputSplit) splits.get(i);
      assertEquals(i * 2, split.getFirstId());
      assertEquals(2, split.getNbTrees());
      assertEquals(((InMemInputSplit) again.get(i)).getSeed(), split.getSeed());
    }
  }
}

package org.tinytags.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;

/**
 * {@code bench plan} on 5,000 sparse blocks: every stage is planned from the manifest, so the
 * job.xml every task reads does not grow with the blocks (each input path once added ~60 bytes:
 * 26,435 blocks made a 1.5 MB job.xml). Times are the benchmark's to print, not asserted here.
 */
class PlanBenchmarkTest {
  @TempDir
  Path work;

  @Test
  void fiveThousandBlocksPlanWithoutListingEveryPathInJobXml() throws Exception {
    Path report = work.resolve("plan.json");
    Run run = LocalHadoop.tinytags("bench", "plan", "--images", "50000", "--images-per-block",
        "10", "--work", work.toString(), "--report", report.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("bench plan: 50,000 images, 10 per block, 5,000 blocks"),
        run.out());
    Map<?, ?> stages = (Map<?, ?>) new ObjectMapper().readValue(report.toFile(), Map.class)
        .get("stages");
    for (String stage : new String[] {"classify", "index"}) {
      Map<?, ?> figures = (Map<?, ?>) stages.get(stage);
      assertEquals(5000, ((Number) figures.get("tasks")).intValue(), stage);
      long xml = ((Number) figures.get("jobXmlBytes")).longValue();
      long baseline = ((Number) ((Map<?, ?>) stages.get("split")).get("jobXmlBytes"))
          .longValue();
      assertTrue(xml < baseline + 8_000, stage + ": job.xml " + xml + " bytes, split's "
          + baseline);
    }
  }
}

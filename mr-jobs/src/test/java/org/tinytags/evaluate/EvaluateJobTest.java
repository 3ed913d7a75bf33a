package org.tinytags.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.TestCifar;

class EvaluateJobTest {
  @TempDir
  Path tmp;

  @Test
  void evaluationJsonAndPageAgree() throws Exception {
    Path model = tmp.resolve("model");
    Run train = LocalHadoop.tinytags("train", "--cifar", TestCifar.dir().toString(), "--output",
        model.toString(), "--images", "2000", "--trees", "8", "--min-agreement", "0.5");
    assertEquals(0, train.status(), train.err());
    Path report = tmp.resolve("report");
    // As under Oozie's java action launcher, which names the <capture-output/> file so.
    Path actionOutput = tmp.resolve("action-output.properties");
    System.setProperty(EvaluateJob.OOZIE_OUTPUT_PROPERTIES, actionOutput.toString());
    Run run;
    try {
      run = LocalHadoop.tinytags("evaluate", "--model", model.toString(), "--cifar",
          TestCifar.dir().toString(), "--output", report.toString());
    } finally {
      System.clearProperty(EvaluateJob.OOZIE_OUTPUT_PROPERTIES);
    }
    assertEquals(0, run.status(), run.err());

    JsonNode json = new ObjectMapper().readTree(report.resolve(EvaluateJob.JSON_FILE).toFile());
    java.util.Properties captured = new java.util.Properties();
    try (var in = Files.newInputStream(actionOutput)) {
      captured.load(in);
    }
    assertEquals(json.get("accuracy").asDouble(),
        Double.parseDouble(captured.getProperty("accuracy")));
    assertEquals(json.get("precisionAtThreshold").asDouble(),
        Double.parseDouble(captured.getProperty("precision")));
    assertEquals(json.get("coverageAtThreshold").asDouble(),
        Double.parseDouble(captured.getProperty("coverage")));
    assertEquals("0.5", captured.getProperty("threshold"));
    assertEquals("10000", captured.getProperty("images"));
    assertEquals(10000, json.get("images").asInt());
    int total = 0;
    int diagonal = 0;
    for (int t = 0; t < 10; t++) {
      int rowSum = 0;
      for (int p = 0; p < 10; p++) {
        int n = json.get("confusion").get(t).get(p).asInt();
        total += n;
        rowSum += n;
        diagonal += t == p ? n : 0;
      }
      assertEquals(1000, rowSum, "the test batch has 1,000 images of class " + t);
    }
    assertEquals(10000, total);
    assertEquals(diagonal / 10000.0, json.get("accuracy").asDouble(), 1e-12);
    // Random guessing gives 0.10; even a tiny forest does clearly better.
    assertTrue(json.get("accuracy").asDouble() > 0.2, json.get("accuracy").toString());

    JsonNode agreement = json.get("agreement");
    assertEquals(8, agreement.size(), "one level per k/N");
    assertEquals(0.125, agreement.get(0).get("minAgreement").asDouble(), 1e-12);
    assertEquals(1.0, agreement.get(0).get("coverage").asDouble(), 1e-12);
    assertEquals(json.get("accuracy").asDouble(), agreement.get(0).get("precision").asDouble(),
        1e-12);
    for (int k = 1; k < agreement.size(); k++) {
      assertTrue(agreement.get(k).get("coverage").asDouble()
          <= agreement.get(k - 1).get("coverage").asDouble(), "coverage falls with agreement");
    }
    assertEquals(0.5, json.get("threshold").asDouble());
    JsonNode atHalf = agreement.get(3);
    assertEquals(0.5, atHalf.get("minAgreement").asDouble(), 1e-12);
    assertEquals(atHalf.get("coverage").asDouble(), json.get("coverageAtThreshold").asDouble(),
        1e-12);
    assertEquals(atHalf.get("precision").asDouble(), json.get("precisionAtThreshold").asDouble(),
        1e-12);

    String html = Files.readString(report.resolve(EvaluateJob.HTML_FILE));
    assertTrue(html.contains("\"accuracy\":" + json.get("accuracy").asText()), "same numbers");
    assertTrue(html.contains("Chart.js v4"), "the charting library is inlined for offline use");
    assertTrue(!html.contains("/*EVALUATION_JSON*/") && !html.contains("/*CHART_JS*/"));
  }

  @Test
  void missingModelIsAClearError() {
    Run run = LocalHadoop.tinytags("evaluate", "--model", tmp.resolve("nope").toString(),
        "--cifar", TestCifar.dir().toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("model directory not found"), run.err());
  }
}

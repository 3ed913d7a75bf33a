package org.tinytags.oozie;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.xml.transform.stream.StreamSource;

import org.apache.hadoop.conf.Configuration;
import org.apache.oozie.CoordinatorJobBean;
import org.apache.oozie.command.coord.CoordSubmitXCommand;
import org.apache.oozie.service.LiteWorkflowStoreService;
import org.apache.oozie.service.SchemaService;
import org.apache.oozie.service.Services;
import org.apache.oozie.workflow.lite.LiteWorkflowApp;
import org.apache.oozie.workflow.lite.LiteWorkflowAppParser;
import org.jdom.Element;

/**
 * Oozie's own checks, in this JVM without a server: its workflow parser (schema, transitions,
 * fork/join, required parameters) and the first steps of its coordinator submission (schema,
 * then the EL of frequency, datasets and action resolved against the job's properties).
 * Services with only the schema, EL and action services, as the parser needs.
 */
final class OozieChecks {
  private static Services services;

  private OozieChecks() {}

  /** The assembled application directory (target/tinytags-oozie-app). */
  static Path app() {
    return Path.of(System.getProperty("tinytags.oozie.app", "target/tinytags-oozie-app"));
  }

  static synchronized void start() throws Exception {
    if (services != null) {
      return;
    }
    Path home = Files.createTempDirectory("tinytags-oozie-home-");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/oozie-site.xml"), "<configuration>"
        + property("oozie.services", "org.apache.oozie.service.SchedulerService,"
            + "org.apache.oozie.service.InstrumentationService,"
            + "org.apache.oozie.service.SchemaService,org.apache.oozie.service.ELService,"
            + "org.apache.oozie.service.ActionService")
        + property("oozie.service.ActionService.executor.classes",
            "org.apache.oozie.action.decision.DecisionActionExecutor,"
            + "org.apache.oozie.action.hadoop.JavaActionExecutor,"
            + "org.apache.oozie.action.hadoop.Hive2ActionExecutor,"
            + "org.apache.oozie.action.oozie.SubWorkflowActionExecutor")
        + "</configuration>", StandardCharsets.UTF_8);
    System.setProperty("oozie.home.dir", home.toString());
    System.setProperty("oozie.data.dir", home.resolve("data").toString());
    services = new Services();
    services.init();
  }

  private static String property(String name, String value) {
    return "<property><name>" + name + "</name><value>" + value + "</value></property>";
  }

  /** Parses a workflow as Oozie does when a job is submitted with {@code jobConf}. */
  static LiteWorkflowApp workflow(String xml, Configuration jobConf) throws Exception {
    start();
    LiteWorkflowAppParser parser = new LiteWorkflowAppParser(
        Services.get().get(SchemaService.class).getSchema(SchemaService.SchemaName.WORKFLOW),
        LiteWorkflowStoreService.LiteControlNodeHandler.class,
        LiteWorkflowStoreService.LiteDecisionHandler.class,
        LiteWorkflowStoreService.LiteActionHandler.class);
    try (Reader reader = new StringReader(xml)) {
      return parser.validateAndParse(reader, jobConf);
    }
  }

  /**
   * Checks a coordinator as its submission does before anything is stored: the schema, then
   * frequency, datasets, input events and action resolved with {@code jobConf}.
   */
  static Element coordinator(String xml, Configuration jobConf) throws Exception {
    start();
    Services.get().get(SchemaService.class).getValidator(SchemaService.SchemaName.COORDINATOR)
        .validate(new StreamSource(new StringReader(xml)));
    return new Submission(jobConf).resolve(xml);
  }

  /** Reaches the protected first steps of CoordSubmitXCommand. */
  private static final class Submission extends CoordSubmitXCommand {
    private final Configuration jobConf;

    Submission(Configuration jobConf) {
      super(jobConf);
      this.jobConf = jobConf;
    }

    Element resolve(String xml) throws Exception {
      initEvaluators();
      return basicResolveAndIncludeDS(xml, jobConf, new CoordinatorJobBean());
    }
  }

  /** A job's configuration as `oozie run` submits it: the properties file, then -D's. */
  static Configuration jobConf(String propertiesFile, Map<String, String> defines)
      throws Exception {
    return OozieCommand.jobConfiguration(app().resolve(propertiesFile), defines.entrySet()
        .stream().map(d -> d.getKey() + "=" + d.getValue()).toArray(String[]::new), "tinytags");
  }

  static String read(String file) throws IOException {
    return Files.readString(app().resolve(file), StandardCharsets.UTF_8);
  }
}

package org.tinytags.oozie;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;

/**
 * {@code oozie deploy} uploads the workflow application (the oozie module's build) to HDFS and
 * has the server validate it; {@code oozie run} submits a job from a properties file, as {@code
 * oozie job -config ... -run} does, then follows it, a line per action as it changes state, and
 * exits non-zero with the failing action's error when the job ends KILLED or FAILED.
 */
public class OozieCommand extends Command {
  /** The application directory bin/tinytags points at (oozie/target/tinytags-oozie-app). */
  public static final String APP_DIR_PROPERTY = "tinytags.oozie.app";
  static final List<String> APP_XML = List.of("workflow.xml", "tag/workflow.xml",
      "coordinator.xml");
  private static final Set<String> ACTIVE = Set.of("PREP", "RUNNING", "SUSPENDED",
      "PREPSUSPENDED", "PREPPAUSED", "PAUSED", "RUNNINGWITHERROR");
  private static final Set<String> ACTION_ENDED = Set.of("OK", "ERROR", "KILLED", "FAILED");
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([\\w.]+)}");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Override
  public String name() {
    return "oozie";
  }

  @Override
  public String summary() {
    return "deploy: upload the workflow application to HDFS; run: submit a job and follow it.";
  }

  @Override
  protected String arguments() {
    return "deploy|run";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("oozie", "url", "the Oozie server, e.g. http://127.0.0.1:11000/oozie"))
        .addOption(flag("app", "hdfs dir", "deploy: where the application goes in HDFS"))
        .addOption(flag("app-dir", "dir", "deploy: the application to upload (default: the "
            + "oozie module's build, oozie/target/tinytags-oozie-app)"))
        .addOption(flag("config", "file", "run: the job's properties (job.properties or "
            + "coordinator.properties)"))
        .addOption(Option.builder("D").hasArg().argName("key=value")
            .desc("run: a job property over the file's (repeat for more)").build())
        .addOption(flag("user", "name", "who submits (default: this user)"))
        .addOption(flag("wait-minutes", "N", "run: give up following a workflow after N "
            + "minutes, exit 2 (default 240)"))
        .addOption(toggle("no-wait", "run: print the job id and return"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    List<String> action = line.getArgList();
    String user = line.getOptionValue("user", System.getProperty("user.name"));
    OozieServer oozie = new OozieServer(required(line, "oozie"), user);
    if (action.equals(List.of("deploy"))) {
      return deploy(oozie, line);
    }
    if (action.equals(List.of("run"))) {
      return run(oozie, line, user);
    }
    throw new UsageException("the actions are 'deploy' and 'run', not '"
        + String.join(" ", action) + "'");
  }

  private int deploy(OozieServer oozie, CommandLine line) throws Exception {
    String local = line.getOptionValue("app-dir", System.getProperty(APP_DIR_PROPERTY));
    if (local == null) {
      throw new UsageException("--app-dir is required (bin/tinytags gives the oozie module's "
          + "build)");
    }
    java.nio.file.Path appDir = java.nio.file.Path.of(local);
    for (String file : APP_XML) {
      if (!Files.isRegularFile(appDir.resolve(file))) {
        throw new IOException(appDir + " is not a TinyTags Oozie application: no " + file
            + " (build it: mvn -pl oozie -am package)");
      }
    }
    String mode = oozie.mode();
    if (!mode.equals("NORMAL")) {
      throw new IOException("Oozie at " + oozie.url() + " is in " + mode + " mode, not NORMAL");
    }
    List<String> sharelib = oozie.sharelib();
    if (!sharelib.contains("oozie")) {
      throw new IOException("Oozie at " + oozie.url() + " has no 'oozie' sharelib (its java "
          + "action launcher): create it with oozie-setup.sh sharelib create");
    }
    if (!sharelib.contains("hive2")) {
      throw new IOException("Oozie at " + oozie.url() + " has no 'hive2' sharelib (it has "
          + sharelib + "), which the tag workflow's hive action runs on: install it (the local "
          + "cluster's and the deploy script's sharelib step do)");
    }

    Path app = new Path(required(line, "app"));
    FileSystem fs = app.getFileSystem(getConf());
    app = fs.makeQualified(app);
    // Uploaded beside it first, so that a failed upload leaves the deployed application as it was.
    Path upload = new Path(app.getParent(), "." + app.getName() + ".deploying");
    fs.delete(upload, true);
    fs.copyFromLocalFile(false, true, new Path(appDir.toAbsolutePath().toUri()), upload);
    if (fs.exists(app) && !fs.delete(app, true)) {
      throw new IOException("could not replace " + app);
    }
    if (!fs.rename(upload, app)) {
      throw new IOException("could not move " + upload + " to " + app);
    }
    var summary = fs.getContentSummary(app);
    System.err.printf("oozie: deployed %s to %s (%,d files, %.1f MB)%n", appDir, app,
        summary.getFileCount(), summary.getLength() / 1e6);
    for (String file : APP_XML) {
      String verdict = oozie.validate(new Path(app, file).toString());
      if (!verdict.startsWith("Valid")) {
        throw new IOException("Oozie at " + oozie.url() + " finds " + file + " invalid: "
            + verdict);
      }
      System.err.println("oozie: " + file + ": " + verdict);
    }
    return 0;
  }

  private int run(OozieServer oozie, CommandLine line, String user) throws Exception {
    Configuration job = jobConfiguration(java.nio.file.Path.of(required(line, "config")),
        line.getOptionValues("D"), user);
    StringWriter xml = new StringWriter();
    job.writeXml(xml);
    String id = oozie.start(xml.toString());
    boolean coordinator = job.get("oozie.coord.application.path") != null;
    System.out.println(id);
    System.err.println("oozie: " + (coordinator ? "coordinator " : "workflow ") + id
        + " started at " + oozie.url());
    if (coordinator || line.hasOption("no-wait")) {
      return 0;
    }
    long waitMinutes = positiveLong(line, "wait-minutes", 240L);
    return follow(oozie, id, System.nanoTime() + Duration.ofMinutes(waitMinutes).toNanos());
  }

  /**
   * The job's configuration as Oozie's client builds it: the properties, then the -D's, every
   * reference between them (and to system properties: ${user.name}) resolved.
   */
  static Configuration jobConfiguration(java.nio.file.Path file, String[] defines, String user)
      throws IOException, UsageException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    Configuration conf = new Configuration(false);
    conf.set("user.name", user);
    for (String name : properties.stringPropertyNames()) {
      conf.set(name, properties.getProperty(name));
    }
    for (String define : defines == null ? new String[0] : defines) {
      int eq = define.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("-D wants key=value, not '" + define + "'");
      }
      conf.set(define.substring(0, eq), define.substring(eq + 1));
    }
    Map<String, String> resolved = new HashMap<>();
    for (Map.Entry<String, String> entry : conf) {
      resolved.put(entry.getKey(), resolve(entry.getValue(), conf));
    }
    resolved.forEach(conf::set);
    if (conf.get("oozie.wf.application.path") == null
        && conf.get("oozie.coord.application.path") == null) {
      throw new UsageException(file + " names no application (oozie.wf.application.path or "
          + "oozie.coord.application.path)");
    }
    return conf;
  }

  /**
   * {@code value} with every {@code ${name}} replaced by that property (itself resolved), or by
   * the system property of that name; unknown names stay, for Oozie's EL ({@code ${wf:id()}}).
   * Unlike Hadoop's own expansion, the job's properties win over system properties: {@code
   * ${user.name}} is the submitting user.
   */
  private static String resolve(String value, Configuration conf) {
    String text = value;
    for (int depth = 0; depth < 20; depth++) {
      Matcher reference = REFERENCE.matcher(text);
      StringBuilder out = new StringBuilder();
      boolean changed = false;
      while (reference.find()) {
        String name = reference.group(1);
        String replacement = conf.getRaw(name) != null ? conf.getRaw(name)
            : System.getProperty(name);
        changed |= replacement != null;
        reference.appendReplacement(out, Matcher.quoteReplacement(
            replacement != null ? replacement : reference.group()));
      }
      reference.appendTail(out);
      text = out.toString();
      if (!changed) {
        break;
      }
    }
    return text;
  }

  /** Polls until the workflow ends; a line per action and sub-workflow action as they change. */
  private static int follow(OozieServer oozie, String id, long deadline) throws Exception {
    Progress progress = new Progress(oozie);
    long start = System.nanoTime();
    while (true) {
      JsonNode info = oozie.info(id);
      progress.report(info, "");
      String status = info.path("status").asText();
      if (!ACTIVE.contains(status)) {
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        if (status.equals("SUCCEEDED")) {
          System.err.printf("oozie: workflow %s SUCCEEDED in %d s%n", id, seconds);
          return 0;
        }
        System.err.printf("oozie: workflow %s %s after %d s: %s%n", id, status, seconds,
            failure(oozie, info, ""));
        return 1;
      }
      if (System.nanoTime() > deadline) {
        System.err.println("oozie: workflow " + id + " is still " + status + "; stopped "
            + "following it (it goes on)");
        return 2;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The lines of one followed workflow: what each action was last seen doing. */
  private static final class Progress {
    private final OozieServer oozie;
    private final Map<String, String> seen = new HashMap<>();
    /** Sub-workflows reported to their end, not asked about again. */
    private final Set<String> finished = new HashSet<>();

    Progress(OozieServer oozie) {
      this.oozie = oozie;
    }

    void report(JsonNode info, String prefix) throws IOException {
      for (JsonNode action : info.path("actions")) {
        String type = action.path("type").asText();
        if (type.equals(":START:")) {
          continue;
        }
        String name = prefix + action.path("name").asText();
        String status = action.path("status").asText();
        String external = action.path("externalId").asText("");
        boolean subWorkflow = type.equals("sub-workflow") && external.endsWith("-W");
        // A sub-workflow's own actions come before the line that says it ended.
        boolean ended = ACTION_ENDED.contains(status);
        if (subWorkflow && ended) {
          child(external, name);
        }
        if (!status.equals(seen.put(name, status))) {
          System.err.printf("oozie: %s  %-24s %-10s %s%n",
              LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(CLOCK), name, status,
              external.equals("null") ? "" : external);
        }
        if (subWorkflow && !ended) {
          child(external, name);
        }
      }
    }

    private void child(String id, String name) throws IOException {
      if (!finished.contains(id)) {
        JsonNode info = oozie.info(id);
        report(info, name + "/");
        if (!ACTIVE.contains(info.path("status").asText())) {
          finished.add(id);
        }
      }
    }
  }

  /** Where and why a workflow ended badly: the kill node's message, or the failed action's. */
  static String failure(OozieServer oozie, JsonNode info, String prefix) throws IOException {
    for (JsonNode action : info.path("actions")) {
      String name = prefix + action.path("name").asText();
      String type = action.path("type").asText();
      String child = action.path("externalId").asText("");
      if (type.equals("sub-workflow") && child.endsWith("-W")) {
        JsonNode sub = oozie.info(child);
        if (!sub.path("status").asText().equals("SUCCEEDED")) {
          return failure(oozie, sub, name + "/");
        }
      }
      if (type.equals(":KILL:")) {
        return "at " + name + ": " + action.path("errorMessage").asText("");
      }
    }
    for (JsonNode action : info.path("actions")) {
      String message = action.path("errorMessage").asText("");
      if (!message.isEmpty() && !message.equals("null")) {
        return "at " + prefix + action.path("name").asText() + ": " + message;
      }
    }
    return "no action says why";
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new OozieCommand(), args));
  }
}

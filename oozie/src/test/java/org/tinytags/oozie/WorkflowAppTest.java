package org.tinytags.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.hadoop.conf.Configuration;
import org.apache.oozie.workflow.WorkflowException;
import org.apache.oozie.workflow.lite.LiteWorkflowApp;
import org.apache.oozie.workflow.lite.NodeDef;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The application this module assembles, checked by Oozie's own parser and submission code, and
 * against the job jar it carries: every action names a real command with real flags.
 */
class WorkflowAppTest {
  /** What a user gives beside job.properties (README: -D corpus=... -D cifar=... -D workDir=...). */
  static final Map<String, String> CHAIN_DEFINES = Map.of("corpus", "/user/tinytags/corpus.bin",
      "cifar", "/user/tinytags/cifar-10", "workDir", "/user/tinytags/run");
  static final Map<String, String> COORDINATOR_DEFINES = Map.of("corpora",
      "/user/tinytags/corpora", "start", "2026-12-01T00:00Z", "model", "/user/tinytags/run/model",
      "workDir", "/user/tinytags/corpora-tags");

  @Test
  void theChainParsesWithJobPropertiesAndTheThreeRequiredParameters() throws Exception {
    LiteWorkflowApp app = OozieChecks.workflow(OozieChecks.read("workflow.xml"),
        OozieChecks.jobConf("job.properties", CHAIN_DEFINES));
    assertEquals("tinytags", app.getName());
    assertEquals(List.of("split", "model-exists", "train", "evaluate", "accuracy-gate", "tag",
        "accuracy-too-low", "failed", "end"), nodeNames(app));
    assertEquals(List.of("evaluate", "train"), app.getNode("model-exists").getTransitions());
    assertEquals(List.of("accuracy-too-low", "tag"),
        app.getNode("accuracy-gate").getTransitions());
    assertEquals(List.of("end", "failed"), app.getNode("tag").getTransitions());
  }

  @Test
  void aMissingParameterIsRefusedNamingIt() throws Exception {
    Map<String, String> defines = new HashMap<>(CHAIN_DEFINES);
    defines.remove("workDir");
    WorkflowException missing = assertThrows(WorkflowException.class, () -> OozieChecks.workflow(
        OozieChecks.read("workflow.xml"), OozieChecks.jobConf("job.properties", defines)));
    assertEquals("E0738", missing.getErrorCode().toString());
    assertTrue(missing.getMessage().contains("workDir"), missing.getMessage());
  }

  @Test
  void aBadTransitionIsRefused() throws Exception {
    String broken = OozieChecks.read("workflow.xml")
        .replace("<ok to=\"accuracy-gate\"/>", "<ok to=\"accuracy-gates\"/>");
    WorkflowException bad = assertThrows(WorkflowException.class, () -> OozieChecks.workflow(
        broken, OozieChecks.jobConf("job.properties", CHAIN_DEFINES)));
    assertEquals("E0708", bad.getErrorCode().toString());
    assertTrue(bad.getMessage().contains("accuracy-gates"), bad.getMessage());
  }

  @Test
  void anActionOutsideTheSchemaIsRefused() throws Exception {
    String broken = OozieChecks.read("workflow.xml").replace("<capture-output/>",
        "<capture-output/><capture-output/>");
    WorkflowException bad = assertThrows(WorkflowException.class, () -> OozieChecks.workflow(
        broken, OozieChecks.jobConf("job.properties", CHAIN_DEFINES)));
    assertEquals("E0701", bad.getErrorCode().toString());
  }

  @Test
  void theTagSubWorkflowParsesWithWhatTheChainPassesIt() throws Exception {
    Configuration conf = OozieChecks.jobConf("job.properties", CHAIN_DEFINES);
    // <propagate-configuration/> passes the chain's configuration, and the action adds these.
    subWorkflowConfiguration(OozieChecks.read("workflow.xml")).forEach(conf::set);
    LiteWorkflowApp tag = OozieChecks.workflow(OozieChecks.read("tag/workflow.xml"), conf);
    assertEquals(List.of("classify", "hive", "hive-ran", "collection", "index", "golive",
        "hive-ran-nothing", "failed", "end"),
        nodeNames(tag));
  }

  @Test
  void theCoordinatorResolvesAndHandsTheTagWorkflowEverythingItNeeds() throws Exception {
    Configuration conf = OozieChecks.jobConf("coordinator.properties", COORDINATOR_DEFINES);
    org.jdom.Element resolved = OozieChecks.coordinator(OozieChecks.read("coordinator.xml"), conf);
    assertEquals("1", resolved.getAttributeValue("frequency"), "one corpus a day");
    assertEquals("DAY", resolved.getAttributeValue("freq_timeunit"));
    String text = org.apache.oozie.util.XmlUtils.prettyPrint(resolved).toString();
    assertTrue(text.contains("/user/tinytags/corpora/${YEAR}${MONTH}${DAY}"), text);
    assertTrue(text.contains("_manifest.json"), text);

    Configuration tagConf = OozieChecks.jobConf("coordinator.properties", COORDINATOR_DEFINES);
    workflowActionConfiguration(OozieChecks.read("coordinator.xml")).forEach(tagConf::set);
    OozieChecks.workflow(OozieChecks.read("tag/workflow.xml"), tagConf);
  }

  @Test
  void aCoordinatorMissingAParameterIsRefused() throws Exception {
    Map<String, String> defines = new HashMap<>(COORDINATOR_DEFINES);
    defines.remove("corpora");
    Exception missing = assertThrows(Exception.class, () -> OozieChecks.coordinator(
        OozieChecks.read("coordinator.xml"), OozieChecks.jobConf("coordinator.properties",
            defines)));
    assertTrue(missing.getMessage().startsWith("E1004: Expression language evaluation error")
        && missing.getMessage().contains("corpora"), missing.getMessage());
  }

  @Test
  void everyActionRunsACommandOfTheJobJarWithFlagsItHas() throws Exception {
    List<List<String>> actions = new ArrayList<>();
    for (String file : List.of("workflow.xml", "tag/workflow.xml")) {
      Document doc = parse(OozieChecks.read(file));
      NodeList javas = doc.getElementsByTagNameNS("*", "java");
      for (int i = 0; i < javas.getLength(); i++) {
        Element java = (Element) javas.item(i);
        assertEquals("org.tinytags.TinyTags", text(java, "main-class"), file);
        actions.add(texts(java, "arg"));
      }
    }
    assertEquals(7, actions.size(), "split, train, evaluate, classify, solr create, index, golive");
    try (URLClassLoader jobJar = new JobJarLoader(
        OozieChecks.app().resolve("lib/tinytags-job.jar").toUri().toURL(),
        getClass().getClassLoader())) {
      Class<?> tinyTags = jobJar.loadClass("org.tinytags.TinyTags");
      for (List<String> args : actions) {
        int words = args.get(0).equals("solr") ? 2 : 1;
        List<String> command = new ArrayList<>(args.subList(0, words));
        command.add("--help");
        PrintStream out = System.out;
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        int status;
        System.setOut(new PrintStream(help, true, StandardCharsets.UTF_8));
        try {
          status = (int) tinyTags.getMethod("run", Configuration.class, String[].class)
              .invoke(null, new Configuration(), command.toArray(new String[0]));
        } finally {
          System.setOut(out);
        }
        assertEquals(0, status, "help of " + command);
        for (String arg : args) {
          if (arg.startsWith("--")) {
            assertTrue(help.toString(StandardCharsets.UTF_8).contains(arg + " "),
                command + " has no " + arg);
          }
        }
      }
    }
  }

  @Test
  void theHiveActionGivesEveryVariableOfTheDdlItRuns() throws Exception {
    String hql = OozieChecks.read("hive/tables.hql");
    assertTrue(hql.contains("CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:database}"
        + ".${hivevar:table}"), "the hive module's images.hql");
    assertTrue(hql.contains("MSCK REPAIR TABLE") && hql.contains("CREATE OR REPLACE VIEW")
        && hql.contains("CREATE FUNCTION"), hql);
    Set<String> used = new TreeSet<>();
    Matcher variable = Pattern.compile("\\$\\{hivevar:([a-z_]+)}").matcher(hql);
    while (variable.find()) {
      used.add(variable.group(1));
    }
    Document tag = parse(OozieChecks.read("tag/workflow.xml"));
    Element hive2 = (Element) tag.getElementsByTagNameNS("*", "hive2").item(0);
    Set<String> given = new TreeSet<>();
    for (String param : texts(hive2, "param")) {
      given.add(param.substring(0, param.indexOf('=')));
    }
    assertEquals(used, given);
    assertTrue(Files.size(OozieChecks.app().resolve("lib/tinytags-udfs.jar")) > 0);

    // Beeline exits 0 without running anything when it cannot connect: the script's last
    // statement leaves a mark, the action deletes it first and the next decision reads it.
    assertTrue(hql.strip().endsWith("dfs -touchz ${hivevar:classified}/_hive_tables;"), hql);
    Element delete = (Element) hive2.getElementsByTagNameNS("*", "delete").item(0);
    assertEquals("${classified}/_hive_tables", delete.getAttribute("path"));
    assertTrue(OozieChecks.read("tag/workflow.xml").contains(
        "<case to=\"collection\">${fs:exists(concat(classified, '/_hive_tables'))}</case>"));
  }

  /**
   * The application's job jar, its own classes first: the test class path has TinyTags' classes
   * too (without Mahout and the rest the job jar carries); Hadoop's come from the test's.
   */
  private static final class JobJarLoader extends URLClassLoader {
    JobJarLoader(URL jar, ClassLoader parent) {
      super(new URL[] {jar}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("org.tinytags.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = findClass(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }

  private static List<String> nodeNames(LiteWorkflowApp app) {
    List<String> names = new ArrayList<>();
    for (NodeDef node : app.getNodeDefs()) {
      names.add(node.getName());
    }
    names.remove(0); // the start node, named after the first action's transition
    return names;
  }

  /** The configuration the chain's sub-workflow action sets, by name. */
  private static Map<String, String> subWorkflowConfiguration(String workflow) throws Exception {
    Element sub = (Element) parse(workflow).getElementsByTagNameNS("*", "sub-workflow").item(0);
    return properties(sub);
  }

  private static Map<String, String> workflowActionConfiguration(String coordinator)
      throws Exception {
    Element action = (Element) parse(coordinator).getElementsByTagNameNS("*", "action").item(0);
    return properties(action);
  }

  private static Map<String, String> properties(Element parent) {
    Map<String, String> properties = new LinkedHashMap<>();
    NodeList list = parent.getElementsByTagNameNS("*", "property");
    for (int i = 0; i < list.getLength(); i++) {
      Element property = (Element) list.item(i);
      properties.put(text(property, "name"), text(property, "value"));
    }
    return properties;
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  private static String text(Element parent, String child) {
    return parent.getElementsByTagNameNS("*", child).item(0).getTextContent().trim();
  }

  private static List<String> texts(Element parent, String child) {
    List<String> texts = new ArrayList<>();
    NodeList list = parent.getElementsByTagNameNS("*", child);
    for (int i = 0; i < list.getLength(); i++) {
      texts.add(list.item(i).getTextContent().trim());
    }
    return texts;
  }

}

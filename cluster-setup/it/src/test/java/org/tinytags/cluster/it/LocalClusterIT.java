package org.tinytags.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tinytags.cluster.it.Processes.IT_DIR;
import static org.tinytags.cluster.it.Processes.ROOT;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tinytags.hive.HueThriftClient;
import org.tinytags.io.BlockManifest;

/**
 * The local cluster as its users meet it: {@code local-cluster up}, the chain through the job
 * jar on YARN with the corpus in HDFS (bin/tinytags with HADOOP_CONF_DIR, i.e. RunJar on the
 * Hadoop client class path), compared with the same chain on the local job runner; Hue's calls
 * against every server; then {@code down}, leaving no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private static final String NN = "http://127.0.0.1:9870/webhdfs/v1";
  private static final String SOLR = "http://127.0.0.1:8983/solr";
  private static final String ZK = "127.0.0.1:2181/solr";
  private static final String OOZIE = "http://127.0.0.1:11000/oozie";
  private static final String HUE = "user.name=hue&doas=alice";
  private static final int IMAGES = 4000;

  private static Path dir;
  private static Path conf;
  private static Path work;
  private static Processes.Run up;
  private static boolean down;
  private static final Map<String, Double> timings = new LinkedHashMap<>();
  /** The tags per view after the workflow's run (Order 7), for the coordinator's day one. */
  private static Map<String, Map<String, Long>> workflowCounts;

  @BeforeAll
  static void up() throws Exception {
    dir = IT_DIR.resolve("cluster");
    work = IT_DIR.resolve("work");
    FileUtil.fullyDelete(dir.toFile());
    FileUtil.fullyDelete(work.toFile());
    Files.createDirectories(work);
    conf = dir.resolve("conf");
    up = Processes.localCluster("up", dir).assertSucceeded();
    timings.put("up (first, formats HDFS)", up.seconds());
  }

  @AfterAll
  static void downAndReport() throws Exception {
    if (!down) {
      Processes.localCluster("down", dir);
    }
    System.out.println("local cluster timings (s): " + timings);
  }

  @Test
  @Order(1)
  void upReportsEveryDaemonAndItsAddresses() throws Exception {
    for (String daemon : List.of("zookeeper.1", "namenode", "datanode.1", "datanode.2",
        "resourcemanager", "nodemanager.1", "nodemanager.2", "jobhistory", "hiveserver2", "solr.1",
        "solr.2", "oozie")) {
      assertTrue(up.output().contains("  " + daemon + ": "), daemon + " in\n" + up.output());
    }
    assertTrue(up.output().contains("  namenode: format done in "), up.output());
    assertTrue(up.output().contains("solr: collection tinytags (2 shards, 1 replica(s)) created"),
        up.output());
    assertTrue(up.output().contains("HIVESERVER2_JDBC=jdbc:hive2://127.0.0.1:10000/default"), up.output());
    assertTrue(Files.readString(conf.resolve("cluster.env")).contains("OOZIE_URL=http://127.0.0.1:11000/oozie"));
  }

  @Test
  @Order(2)
  void upAgainLeavesTheRunningDaemonsAlone() throws Exception {
    Map<String, String> pidsBefore = pids();
    Processes.Run again = Processes.localCluster("up", dir).assertSucceeded();
    timings.put("up (everything running)", again.seconds());
    for (String daemon : pidsBefore.keySet()) {
      assertTrue(again.output().contains("  " + daemon + ": already running (pid " + pidsBefore.get(daemon)
          + ")"), daemon + " in\n" + again.output());
    }
    assertFalse(again.output().contains("format done"), again.output());
    assertEquals(pidsBefore, pids());
    Processes.Run status = Processes.localCluster("status", dir);
    assertEquals(0, status.exit(), status.output());
    System.out.println("local-cluster up:\n" + up.output() + "\nlocal-cluster status:\n" + status.output());
    assertEquals(12, status.output().lines().filter(l -> l.contains(" up ")).count(), status.output());
  }

  @Test
  @Order(3)
  void theChainOnYarnWritesWhatTheLocalRunnerWrites() throws Exception {
    Path cifar = cifar();
    Path corpus = work.resolve("corpus.bin");
    local("make-corpus", "--cifar", cifar.toString(), "--images", Integer.toString(IMAGES),
        "--layout", "tiny", "--output", corpus.toString());
    FileSystem hdfs = hdfs();
    org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path("/user/" + user() + "/it");
    hdfs.mkdirs(new org.apache.hadoop.fs.Path(in, "cifar"));
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(corpus.toUri()), new org.apache.hadoop.fs.Path(in, "corpus.bin"));
    for (String batch : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin")) {
      hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(cifar.resolve(batch).toUri()),
          new org.apache.hadoop.fs.Path(in, "cifar/" + batch));
    }

    String h = in.toString();
    Path l = work.resolve("local");
    List<List<String>> steps = List.of(
        List.of("split", "--input", "@/corpus.bin", "--layout", "tiny", "--images-per-block", "1000",
            "--output", "@/blocks"),
        List.of("train", "--cifar", "@/cifar", "--output", "@/model", "--trees", "4", "--images",
            "3000", "--seed", "5"),
        List.of("classify", "--model", "@/model", "--blocks", "@/blocks", "--output", "@/tags"),
        // Built for the collection: one shard per collection shard, routed by its hash ranges.
        List.of("index", "--classified", "@/tags", "--output", "@/index", "--zk", ZK,
            "--collection", "tinytags"));
    for (List<String> step : steps) {
      Processes.Run onYarn = cluster(step.stream().map(a -> a.replace("@", h)).toArray(String[]::new));
      timings.put(step.get(0) + " on YARN", onYarn.seconds());
      List<String> localArgs = step.stream().map(a -> a.startsWith("@")
          ? (a.equals("@/cifar") ? cifar.toString() : l + a.substring(1))
          : a).collect(Collectors.toList());
      if (step.get(0).equals("split")) {
        localArgs.set(2, corpus.toString());
      }
      Processes.Run locally = local(localArgs.toArray(String[]::new));
      timings.put(step.get(0) + " on the local runner", locally.seconds());
    }
    FileSystem localFs = FileSystem.getLocal(new Configuration());

    // Same blocks, byte for byte.
    BlockManifest onYarn = BlockManifest.read(hdfs, new org.apache.hadoop.fs.Path(h, "blocks"));
    BlockManifest locally = BlockManifest.read(localFs, new org.apache.hadoop.fs.Path(l.resolve("blocks").toUri()));
    assertEquals(4, onYarn.blocks().size());
    assertEquals(locally.blocks().stream().map(BlockManifest.Block::sha256).collect(Collectors.toList()),
        onYarn.blocks().stream().map(BlockManifest.Block::sha256).collect(Collectors.toList()));
    // The same forest.
    assertEquals(forestSha(localFs, new org.apache.hadoop.fs.Path(l.resolve("model/model.json").toUri())),
        forestSha(hdfs, new org.apache.hadoop.fs.Path(h, "model/model.json")));
    // The same labels and votes for every image.
    List<String> yarnRows = rows(hdfs, new org.apache.hadoop.fs.Path(h, "tags"));
    List<String> localRows = rows(localFs, new org.apache.hadoop.fs.Path(l.resolve("tags").toUri()));
    assertEquals(IMAGES, yarnRows.size());
    assertEquals(localRows, yarnRows);

    // The same documents in each shard, on YARN and on the local runner.
    assertEquals(shardDocuments(localFs, new org.apache.hadoop.fs.Path(l.resolve("index").toUri())),
        shardDocuments(hdfs, new org.apache.hadoop.fs.Path(h, "index")));

    // Go live into the SolrCloud collection: each shard into every replica of its own shard.
    Processes.Run golive = cluster("golive", "--index", h + "/index", "--zk", ZK,
        "--collection", "tinytags");
    timings.put("golive into SolrCloud", golive.seconds());
    Map<String, Long> perBlock = facetCounts(get(SOLR
        + "/tinytags/select?q=*:*&rows=0&facet=true&facet.field=block&wt=json"), "block");
    // Hue's document details: real-time get finds a document of each shard by id alone.
    long found = 0;
    for (String id : taggedIds(localRows)) {
      found += get(SOLR + "/tinytags/get?id=" + id + "&wt=json").path("doc").isObject() ? 1 : 0;
    }
    assertEquals(taggedIds(localRows).size(), found);
    assertEquals(taggedPer(localRows, "block"), perBlock);
  }

  @Test
  @Order(4)
  void hueCanBrowseTheFilesTheJobsTheTablesTheIndexAndTheWorkflows() throws Exception {
    String it = "/user/" + user() + "/it";
    // WebHDFS, as Hue's file browser calls it: every call as hue, for alice.
    JsonNode listing = get(NN + it + "/blocks?op=LISTSTATUS&" + HUE);
    List<String> names = new ArrayList<>();
    for (JsonNode status : listing.path("FileStatuses").path("FileStatus")) {
      names.add(status.path("pathSuffix").asText());
      for (String field : List.of("pathSuffix", "type", "length", "owner", "group", "permission",
          "accessTime", "modificationTime", "blockSize", "replication")) {
        assertTrue(status.has(field), field + " in " + status);
      }
    }
    assertTrue(names.containsAll(List.of("_manifest.json", "block-00000.bin", "block-00003.bin")), names.toString());
    assertEquals("FILE", get(NN + it + "/blocks/_manifest.json?op=GETFILESTATUS&" + HUE)
        .path("FileStatus").path("type").asText());
    HttpResponse<String> missing = http(NN + it + "/nothing?op=GETFILESTATUS&" + HUE);
    assertEquals(404, missing.statusCode());
    assertEquals("FileNotFoundException", JSON.readTree(missing.body()).path("RemoteException")
        .path("exception").asText());
    JsonNode partition = get(NN + it + "/tags/block=00002?op=LISTSTATUS&" + HUE);
    String orc = partition.path("FileStatuses").path("FileStatus").get(0).path("pathSuffix").asText();
    assertEquals("part-00002.orc", orc);
    // OPEN is answered with a redirect to a DataNode, which Hue's server follows.
    assertEquals("ORC", open(it + "/tags/block=00002/" + orc, 0, 3));
    assertTrue(open(it + "/blocks/_manifest.json", 0, 4096).startsWith("{"));
    assertEquals(1, open(it + "/blocks/block-00001.bin", 0, 1).length());
    assertEquals(user(), get(NN + "/?op=GETFILESTATUS&" + HUE).path("FileStatus").path("owner").asText());
    assertEquals("/user/alice", get(NN + "/?op=GETHOMEDIRECTORY&" + HUE).path("Path").asText());
    assertTrue(get(NN + it + "?op=GETTRASHROOT&" + HUE).path("Path").asText().endsWith("/.Trash"));
    // The blocks, the manifest and the empty _SUCCESS.
    assertEquals(IMAGES * 3072L + manifestBytes(it), get(NN + it + "/blocks?op=GETCONTENTSUMMARY&" + HUE)
        .path("ContentSummary").path("length").asLong());

    // The job browser: the ResourceManager lists the chain's jobs, all succeeded.
    List<String> apps = new ArrayList<>();
    for (JsonNode app : get("http://127.0.0.1:8088/ws/v1/cluster/apps?user.name=hue").path("apps").path("app")) {
      assertEquals("SUCCEEDED", app.path("finalStatus").asText(), app.toString());
      apps.add(app.path("name").asText());
    }
    for (String job : List.of("tinytags split corpus.bin", "tinytags classify blocks", "tinytags index tags")) {
      assertTrue(apps.contains(job), job + " in " + apps);
    }
    assertTrue(get("http://127.0.0.1:19888/ws/v1/history/mapreduce/jobs?user.name=hue")
        .path("jobs").path("job").size() >= 4);

    // The table browser: the hive command makes the tables on HiveServer2 (its functions from a
    // jar in HDFS, as Hive wants with a warehouse there), Hue reads them over Thrift.
    FileSystem hdfs = hdfs();
    org.apache.hadoop.fs.Path udfs = new org.apache.hadoop.fs.Path(it + "/lib/tinytags-udfs.jar");
    try (var jars = Files.newDirectoryStream(ROOT.resolve("udfs/target"), "tinytags-udfs-*.jar")) {
      hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(jars.iterator().next().toUri()), udfs);
    }
    Processes.Run hive = Processes.run(Map.of(), 600, hiveCommand("--classified",
        "hdfs://127.0.0.1:8020" + it + "/tags", "--blocks", "hdfs://127.0.0.1:8020" + it + "/blocks",
        "--udf-jar", "hdfs://127.0.0.1:8020" + udfs, "--jdbc", "jdbc:hive2://127.0.0.1:10000/default"))
        .assertSucceeded();
    timings.put("hive tables over HiveServer2", hive.seconds());
    try (HueThriftClient hue = new HueThriftClient("127.0.0.1", 10000, "alice")) {
      assertTrue(hue.schemas().contains("tinytags"), hue.schemas().toString());
      assertTrue(hue.tables("tinytags").containsKey("images"), hue.tables("tinytags").toString());
      String described = hue.execute("DESCRIBE FORMATTED `tinytags`.`images`").toString();
      assertTrue(described.contains("# Partition Information"), described);
      assertTrue(described.contains("hdfs://127.0.0.1:8020" + it + "/tags"), described);
      assertEquals(List.of(List.of("block=0"), List.of("block=1"), List.of("block=2"), List.of("block=3")),
          hue.execute("SHOW PARTITIONS `tinytags`.`images`"));
      String partitionLocation = hue.execute("DESCRIBE FORMATTED `tinytags`.`images` PARTITION(`block`=2)").toString();
      assertTrue(partitionLocation.contains(it + "/tags/block=00002"), partitionLocation);
      List<List<String>> sample = hue.executeAsync("SELECT * FROM `tinytags`.`images` WHERE (`block`=2) LIMIT 100");
      assertEquals(100, sample.size());
      hue.fetchLogs();
    }

    // Dashboards: Solr as Hue's search app calls it.
    String as = "&user.name=hue&doAs=alice&wt=json";
    JsonNode system = get(SOLR + "/admin/info/system?" + as);
    assertEquals("solrcloud", system.path("mode").asText());
    assertTrue(get(SOLR + "/admin/collections?action=LIST" + as).path("collections").toString().contains("\"tinytags\""));
    assertEquals(0, get(SOLR + "/admin/collections?action=LISTALIASES" + as).path("responseHeader").path("status").asInt());
    JsonNode fields = get(SOLR + "/tinytags/admin/luke?fl=*&show=schema" + as).path("schema").path("fields");
    assertTrue(fields.path("id").path("required").asBoolean(), fields.path("id").toString());
    assertTrue(fields.path("id").path("uniqueKey").asBoolean(), fields.path("id").toString());
    assertEquals("pint", fields.path("block").path("type").asText());
    assertEquals("plong", fields.path("image").path("type").asText());
    assertEquals("string", fields.path("label").path("type").asText());
    JsonNode search = get(SOLR + "/tinytags/select?q=*:*&rows=25&start=0&fl=*&hl=true&hl.fl=*&hl.snippets=5"
        + "&hl.fragsize=1000&facet=true&facet.mincount=0&facet.limit=10&facet.field="
        + URLEncoder.encode("{!key=label-1 ex=1 f.label.facet.limit=11 f.label.facet.mincount=0}label",
            StandardCharsets.UTF_8) + as);
    assertEquals(10, search.path("facet_counts").path("facet_fields").path("label-1").size() / 2);
    assertEquals(25, search.path("response").path("docs").size());
    JsonNode json = post(SOLR + "/tinytags/select?q=*:*&rows=0" + as, "{\"facet\":{\"tags\":{\"type\":\"terms\","
        + "\"field\":\"label\",\"limit\":10,\"numBuckets\":true},\"agree\":{\"type\":\"range\",\"field\":"
        + "\"agreement\",\"start\":0,\"end\":101,\"gap\":25}}}");
    assertTrue(json.path("facets").path("tags").path("buckets").size() > 0, json.toString());
    assertEquals(5, json.path("facets").path("agree").path("buckets").size(), json.toString());
    JsonNode stats = get(SOLR + "/tinytags/select?q=*:*&rows=0&stats=true&stats.field=agreement" + as)
        .path("stats").path("stats_fields").path("agreement");
    assertTrue(stats.path("min").asDouble() >= 0 && stats.path("max").asDouble() <= 100, stats.toString());

    // The workflow dashboard: Oozie answers for alice.
    assertEquals("NORMAL", get("http://127.0.0.1:11000/oozie/v1/admin/status?user.name=hue&doAs=alice"
        + "&timezone=UTC").path("systemMode").asText());
    assertEquals(0, get("http://127.0.0.1:11000/oozie/v1/jobs?jobtype=wf&len=100&user.name=hue&doAs=alice")
        .path("total").asInt());
  }

  @Test
  @Order(5)
  void withoutTheShippedProxyUserSettingsWebHdfsRefusesHue() throws Exception {
    Path coreSite = dir.resolve("daemons/namenode/conf/core-site.xml");
    String shipped = Files.readString(coreSite);
    String url = NN + "/user?op=LISTSTATUS&" + HUE;
    assertEquals(200, http(url).statusCode());
    try {
      Files.writeString(coreSite, shipped.lines().filter(line -> !line.contains("hadoop.proxyuser.hue."))
          .collect(Collectors.joining("\n")));
      refreshProxyUsers();
      HttpResponse<String> refused = http(url);
      assertEquals(403, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("User: hue is not allowed to impersonate alice"), refused.body());
    } finally {
      Files.writeString(coreSite, shipped);
      refreshProxyUsers();
    }
    assertEquals(200, http(url).statusCode());
  }

  @Test
  @Order(6)
  void theWorkflowRunsInOozieStopsAtTheAccuracyGateAndNamesAFailedAction() throws Exception {
    String it = "/user/" + user() + "/it";
    Processes.Run deploy = cluster("oozie", "deploy", "--oozie", OOZIE, "--app",
        "/user/" + user() + "/tinytags/app");
    timings.put("oozie deploy", deploy.seconds());
    assertTrue(deploy.output().contains("workflow.xml: Valid workflow-app")
        && deploy.output().contains("coordinator.xml: Valid"), deploy.output());
    FileSystem hdfs = hdfs();
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/user/" + user()
        + "/tinytags/app/lib/tinytags-job.jar")));

    // The gate: split, train and evaluate run; nothing after the decision.
    String[] gate = chain("minAccuracy=0.99");
    Processes.Run killed = clusterMayFail(gate);
    timings.put("workflow to the gate (split, train, evaluate)", killed.seconds());
    assertEquals(1, killed.exit(), killed.output());
    assertTrue(killed.output().matches("(?s).*workflow \\S+-W KILLED after \\d+ s: at "
        + "accuracy-too-low: the model's accuracy 0\\.\\d+ on the CIFAR-10 test batch is below "
        + "minAccuracy 0\\.99: nothing was classified.*"), killed.output());
    for (String action : List.of("split", "train", "evaluate")) {
      assertTrue(killed.output().matches("(?s).*oozie: \\S+  " + action + " +OK .*"),
          action + " ran: " + killed.output());
    }
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(it + "/wf/blocks/_manifest.json")));
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(it + "/wf/model/model.json")));
    assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(it + "/wf/tags")), "nothing classified");
    String gateJob = jobId(killed.output());

    // Again: the model is there, so training is skipped; the same blocks, byte for byte.
    String manifest = new String(hdfs.open(new org.apache.hadoop.fs.Path(it
        + "/wf/blocks/_manifest.json")).readAllBytes(), StandardCharsets.UTF_8);
    Processes.Run again = clusterMayFail(gate);
    timings.put("workflow to the gate again (model present)", again.seconds());
    assertEquals(1, again.exit(), again.output());
    assertFalse(again.output().matches("(?s).*oozie: \\S+  train .*"), again.output());
    assertTrue(again.output().contains("accuracy-too-low"), again.output());
    assertEquals(manifest, new String(hdfs.open(new org.apache.hadoop.fs.Path(it
        + "/wf/blocks/_manifest.json")).readAllBytes(), StandardCharsets.UTF_8));

    // A failing action ends the job KILLED naming it and the command's own error.
    Processes.Run failed = clusterMayFail(oozieRun("job.properties",
        "corpus=" + it + "/no-such-corpus.bin", "cifar=" + it + "/cifar",
        "workDir=" + it + "/wf-missing"));
    assertEquals(1, failed.exit(), failed.output());
    assertTrue(failed.output().matches("(?s).*KILLED after \\d+ s: at failed: split failed: "
        + "tinytags split: input not found: \\S*/no-such-corpus\\.bin.*"), failed.output());
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(it + "/wf/model/model.json")));

    // Hue's job browser calls, for the finished job.
    String hue = "user.name=hue&doAs=" + user();
    JsonNode jobs = get(OOZIE + "/v1/jobs?jobtype=wf&len=100&filter=user%3D" + user() + "&"
        + hue);
    assertEquals(3, jobs.path("total").asInt(), jobs.toString());
    JsonNode job = get(OOZIE + "/v1/job/" + gateJob + "?" + hue);
    assertEquals("KILLED", job.path("status").asText());
    List<String> actions = new ArrayList<>();
    job.path("actions").forEach(a -> actions.add(a.path("name").asText() + "="
        + a.path("status").asText()));
    assertTrue(actions.containsAll(List.of("split=OK", "train=OK", "evaluate=OK",
        "accuracy-gate=OK")), actions.toString());
    HttpResponse<String> definition = http(OOZIE + "/v1/job/" + gateJob
        + "?show=definition&" + hue);
    assertTrue(definition.body().contains("xmlns=\"uri:oozie:workflow:0.5\""), definition.body());
    HttpResponse<String> log = http(OOZIE + "/v2/job/" + gateJob + "?show=log&" + hue);
    assertEquals(200, log.statusCode());
    assertTrue(log.body().contains(gateJob), log.body());
    HttpResponse<String> graph = http(OOZIE + "/v2/job/" + gateJob
        + "?show=graph&show-kill=true&format=svg&" + hue);
    assertEquals(200, graph.statusCode());
    // Graphviz writes a hyphen in a node's name as &#45;.
    assertTrue(graph.body().contains("<svg") && graph.body().contains(">accuracy&#45;gate<")
        && graph.body().contains(">tag<"),
        graph.body().substring(0, Math.min(400, graph.body().length())));
  }

  @Test
  @Order(7)
  void theChainInOozieTellsOneStoryInTheFilesHiveSolrAndTheSearchApiAndARerunChangesNothing()
      throws Exception {
    String it = "/user/" + user() + "/it";
    String[] chain = chain("minAccuracy=0.1",
        // A database and a collection of its own, made by the workflow (tag/collection).
        "hiveDatabase=tinytags_wf", "collection=tinytags_wf");
    Processes.Run run = cluster(chain);
    assertTrue(run.output().matches("(?s).*workflow \\S+-W SUCCEEDED in \\d+ s.*"), run.output());
    // The model of the gate's runs (Order 6) is there: no training.
    assertFalse(run.output().matches("(?s).*oozie: \\S+  train .*"), run.output());
    for (String action : List.of("split", "evaluate", "accuracy-gate", "tag/classify", "tag/hive",
        "tag/hive-ran", "tag/collection", "tag/index", "tag/golive", "end")) {
      assertTrue(run.output().matches("(?s).*oozie: \\S+  " + action + " +OK .*"),
          action + " ran: " + run.output());
    }
    actionSeconds(run.output()).forEach((action, seconds) ->
        timings.put("workflow action " + action, seconds));
    timings.put("workflow, the whole chain (model present)", run.seconds());
    String workDir = it + "/wf";
    Map<String, Map<String, Long>> views = countsPerTag(workDir + "/tags", workDir + "/blocks",
        "tinytags_wf", "tags", "tinytags_wf");
    System.out.println("counts per tag after the workflow: " + views);
    workflowCounts = views;

    // Again: the same counts everywhere, no document twice.
    Processes.Run again = cluster(chain);
    timings.put("workflow again, the whole chain", again.seconds());
    assertTrue(again.output().matches("(?s).*workflow \\S+-W SUCCEEDED in \\d+ s.*"),
        again.output());
    assertEquals(views, countsPerTag(workDir + "/tags", workDir + "/blocks", "tinytags_wf",
        "tags", "tinytags_wf"));

    // The tag sub-workflow on its own, with no HiveServer2 where it says: Beeline exits 0
    // without running a statement, and the hive-ran decision ends the job naming the address.
    Processes.Run noHive = tagWorkflow(it + "/no-hive", workDir + "/blocks", workDir + "/model",
        "hiveJdbcUrl=jdbc:hive2://127.0.0.1:1/default");
    timings.put("tag workflow to hive-ran-nothing", noHive.seconds());
    assertEquals(1, noHive.exit(), noHive.output());
    assertTrue(noHive.output().matches("(?s).*KILLED after \\d+ s: at hive-ran-nothing: hive: "
        + "Beeline ran none of tables\\.hql \\(no " + it + "/no-hive/tags/_hive_tables\\): "
        + "could it reach HiveServer2 at jdbc:hive2://127\\.0\\.0\\.1:1/default\\?.*"),
        noHive.output());
    assertTrue(noHive.output().matches("(?s).*oozie: \\S+  hive +OK .*"), noHive.output());
    assertFalse(hdfs().exists(new org.apache.hadoop.fs.Path(it + "/no-hive/index")),
        "nothing indexed");

    // A block file removed after split: the job ends KILLED at classify with its error, and the
    // split output's other files and the model are as they were.
    FileSystem hdfs = hdfs();
    org.apache.hadoop.fs.Path broken = new org.apache.hadoop.fs.Path(it + "/broken/blocks");
    FileUtil.copy(hdfs, new org.apache.hadoop.fs.Path(workDir + "/blocks"), hdfs, broken, false,
        hdfs.getConf());
    assertTrue(hdfs.delete(new org.apache.hadoop.fs.Path(broken, "block-00002.bin"), false));
    String forest = forestSha(hdfs, new org.apache.hadoop.fs.Path(workDir + "/model/model.json"));
    Processes.Run missing = tagWorkflow(it + "/broken", broken.toString(), workDir + "/model");
    assertEquals(1, missing.exit(), missing.output());
    assertTrue(missing.output().matches("(?s).*KILLED after \\d+ s: at failed: classify failed: "
        + "tinytags classify: block 2 \\(block-00002\\.bin\\) is missing from \\S*" + broken
        + ".*"), missing.output());
    for (String file : List.of("_manifest.json", "block-00000.bin", "block-00001.bin",
        "block-00003.bin")) {
      assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(broken, file)), file);
    }
    assertEquals(forest, forestSha(hdfs, new org.apache.hadoop.fs.Path(workDir
        + "/model/model.json")));
    assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(it + "/broken/tags")));
  }

  /** {@code oozie run} of the chain on the corpus Order 3 put in HDFS, 4 trees, in it/wf. */
  private static String[] chain(String... defines) {
    String it = "/user/" + user() + "/it";
    List<String> all = new ArrayList<>(List.of("corpus=" + it + "/corpus.bin",
        "cifar=" + it + "/cifar", "workDir=" + it + "/wf", "imagesPerBlock=1000", "trees=4",
        "trainImages=3000"));
    all.addAll(List.of(defines));
    return oozieRun("job.properties", all.toArray(String[]::new));
  }

  /** The tag sub-workflow submitted on its own, under {@code dir}; its exit left to the caller. */
  private static Processes.Run tagWorkflow(String dir, String blocks, String model,
      String... defines) throws Exception {
    List<String> all = new ArrayList<>(List.of("oozie.wf.application.path=${appPath}/tag",
        "oozie.libpath=${appPath}/lib", "workDir=" + dir, "blocks=" + blocks, "model=" + model,
        "classified=" + dir + "/tags", "index=" + dir + "/index"));
    all.addAll(List.of(defines));
    return clusterMayFail(oozieRun("job.properties", all.toArray(String[]::new)));
  }

  /** {@code oozie run} with one of the built application's properties files and -D's. */
  private static String[] oozieRun(String properties, String... defines) {
    List<String> command = new ArrayList<>(List.of("oozie", "run", "--oozie", OOZIE, "--config",
        ROOT.resolve("oozie/target/tinytags-oozie-app").resolve(properties).toString()));
    for (String define : defines) {
      command.addAll(List.of("-D", define));
    }
    return command.toArray(String[]::new);
  }

  @Test
  @Order(8)
  void theCoordinatorTagsANewCorpusIntoItsOwnTableAndCollectionLeavingTheFirstAlone()
      throws Exception {
    String it = "/user/" + user() + "/it";
    FileSystem hdfs = hdfs();
    org.apache.hadoop.fs.Path corpora = new org.apache.hadoop.fs.Path(it + "/corpora");
    hdfs.mkdirs(corpora);
    // Day one: the workflow's split output, landed as a whole (copied beside, then renamed).
    org.apache.hadoop.fs.Path landing = new org.apache.hadoop.fs.Path(corpora, ".20261201");
    FileUtil.copy(hdfs, new org.apache.hadoop.fs.Path(it + "/wf/blocks"), hdfs, landing, false,
        hdfs.getConf());
    assertTrue(hdfs.rename(landing, new org.apache.hadoop.fs.Path(corpora, "20261201")));

    Processes.Run submit = cluster(oozieRun("coordinator.properties", "corpora=" + corpora,
        "model=" + it + "/wf/model", "workDir=" + it + "/corpora-tags",
        "start=2026-12-01T00:00Z", "end=2026-12-03T00:00Z", "hiveDatabase=tinytags_corpora"));
    String coordinator = submit.output().lines().filter(l -> l.matches("\\S+-C")).findFirst()
        .orElseThrow(() -> new AssertionError(submit.output()));
    long waited = System.nanoTime();
    coordinatorAction(coordinator, 1, "SUCCEEDED", 600);
    timings.put("coordinator: day one tagged", (System.nanoTime() - waited) / 1e9);
    assertEquals("WAITING", coordinatorAction(coordinator, 2, "WAITING", 120).path("status")
        .asText(), "day two has no corpus yet");
    Map<String, Map<String, Long>> dayOne = countsPerTag(it + "/corpora-tags/20261201/tags",
        corpora + "/20261201", "tinytags_corpora", "tags_20261201", "tinytags_20261201");
    List<String> dayOneRows = rows(hdfs, new org.apache.hadoop.fs.Path(it
        + "/corpora-tags/20261201/tags"));
    Map<String, Long> dayOneRuns = indexRuns("tinytags_20261201");
    // The same images and model as the workflow's: the same tags.
    assertEquals(workflowCounts, dayOne);

    // Day two: another corpus (other draws from CIFAR-10), split here and landed whole.
    Path corpus2 = work.resolve("corpus-2.bin");
    local("make-corpus", "--cifar", cifar().toString(), "--images", "3000", "--layout", "tiny",
        "--seed", "2", "--output", corpus2.toString());
    local("split", "--input", corpus2.toString(), "--layout", "tiny", "--images-per-block", "1000",
        "--output", work.resolve("corpus-2-blocks").toString());
    landing = new org.apache.hadoop.fs.Path(corpora, ".20261202");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(work.resolve("corpus-2-blocks").toUri()),
        landing);
    assertTrue(hdfs.rename(landing, new org.apache.hadoop.fs.Path(corpora, "20261202")));
    waited = System.nanoTime();
    coordinatorAction(coordinator, 2, "SUCCEEDED", 600);
    timings.put("coordinator: day two tagged after it landed", (System.nanoTime() - waited) / 1e9);
    Map<String, Map<String, Long>> dayTwo = countsPerTag(it + "/corpora-tags/20261202/tags",
        corpora + "/20261202", "tinytags_corpora", "tags_20261202", "tinytags_20261202");
    System.out.println("counts per tag, the coordinator's day two: " + dayTwo);
    assertEquals(3000, rows(hdfs, new org.apache.hadoop.fs.Path(it
        + "/corpora-tags/20261202/tags")).size());

    // Day one is as it was: its rows, its table, its documents and their index run.
    assertEquals(dayOneRows, rows(hdfs, new org.apache.hadoop.fs.Path(it
        + "/corpora-tags/20261201/tags")));
    assertEquals(dayOne, countsPerTag(it + "/corpora-tags/20261201/tags",
        corpora + "/20261201", "tinytags_corpora", "tags_20261201", "tinytags_20261201"));
    assertEquals(dayOneRuns, indexRuns("tinytags_20261201"));
  }

  /**
   * The tagged images per tag, as each view tells them: (a) the classify output's ORC rows,
   * (b) {@code SELECT tag, count(*)} through HiveServer2, (c) Solr's facet on the collection and
   * (d) the search API's {@code counts} ({@code serve} over the collection); asserted equal and
   * returned by view.
   */
  private static Map<String, Map<String, Long>> countsPerTag(String classified, String blocks,
      String database, String view, String collection) throws Exception {
    Map<String, Map<String, Long>> views = new LinkedHashMap<>();
    Map<String, Long> orc = new TreeMap<>();
    taggedPer(rows(hdfs(), new org.apache.hadoop.fs.Path(classified)), "label").forEach(
        (label, count) -> orc.put(org.tinytags.image.CifarClasses.name(Integer.parseInt(label)),
            count));
    views.put("orc", orc);

    Map<String, Long> hive = new TreeMap<>();
    try (HueThriftClient client = new HueThriftClient("127.0.0.1", 10000, user())) {
      for (List<String> row : client.executeAsync("SELECT tag, count(*) FROM `" + database
          + "`.`" + view + "` WHERE tagged GROUP BY tag")) {
        hive.put(row.get(0), Long.parseLong(row.get(1)));
      }
    }
    views.put("hive", hive);

    JsonNode select = get(SOLR + "/" + collection + "/select?q=*:*&rows=0&facet=true"
        + "&facet.field=label&facet.limit=-1&facet.mincount=1&wt=json");
    views.put("solr", facetCounts(select, "label"));
    // No document twice: as many documents as tagged rows.
    assertEquals(orc.values().stream().mapToLong(Long::longValue).sum(),
        select.path("response").path("numFound").asLong());

    Map<String, Long> api = new TreeMap<>();
    try (Served served = serve(collection, blocks)) {
      get(served.url() + "api/search").path("counts").fields().forEachRemaining(count -> {
        if (count.getValue().asLong() > 0) {
          api.put(count.getKey(), count.getValue().asLong());
        }
      });
    }
    views.put("api", api);
    for (Map.Entry<String, Map<String, Long>> other : views.entrySet()) {
      assertEquals(orc, other.getValue(), other.getKey() + " against the ORC rows: " + views);
    }
    return views;
  }

  /** A collection's documents by the index run that brought them. */
  private static Map<String, Long> indexRuns(String collection) throws Exception {
    return facetCounts(get(SOLR + "/" + collection + "/select?q=*:*&rows=0&facet=true"
        + "&facet.field=index_run&wt=json"), "index_run");
  }

  /** {@code bin/tinytags serve} over a SolrCloud collection, until closed. */
  private record Served(Process process, String url) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static Served serve(String collection, String blocks) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/tinytags").toString(), "serve",
        "--zk", ZK, "--collection", collection, "--blocks", blocks, "--port",
        Integer.toString(port)).redirectErrorStream(true)
        .redirectOutput(work.resolve("serve-" + collection + ".log").toFile());
    builder.environment().put("HADOOP_CONF_DIR", conf.toString());
    Served served = new Served(builder.start(), "http://127.0.0.1:" + port + "/");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      try {
        if (http(served.url() + "api/status").statusCode() == 200) {
          return served;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!served.process().isAlive() || System.nanoTime() > deadline) {
        served.close();
        throw new AssertionError("serve did not answer: "
            + Files.readString(work.resolve("serve-" + collection + ".log")));
      }
      Thread.sleep(500);
    }
  }

  /** Waits until the coordinator's action {@code number} has {@code status}; its JSON. */
  private static JsonNode coordinatorAction(String coordinator, int number, String status,
      int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    JsonNode info;
    while (true) {
      // (Without offset and len the answer may list none of them.)
      info = get(OOZIE + "/v2/job/" + coordinator + "?show=info&offset=1&len=100&user.name="
          + user());
      for (JsonNode action : info.path("actions")) {
        if (action.path("actionNumber").asInt() == number) {
          String now = action.path("status").asText();
          if (now.equals(status)) {
            return action;
          }
          assertFalse(List.of("KILLED", "FAILED", "TIMEDOUT").contains(now), action.toString());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("coordinator action " + number + " not " + status + " after "
            + seconds + " s: " + info);
      }
      Thread.sleep(2000);
    }
  }

  /** Each action's wall time in an {@code oozie run} report: first line seen to OK. */
  private static Map<String, Double> actionSeconds(String output) {
    Map<String, java.time.LocalTime> started = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    java.util.regex.Matcher line = java.util.regex.Pattern.compile(
        "oozie: (\\d\\d:\\d\\d:\\d\\d)  (\\S+) +(\\S+)").matcher(output);
    while (line.find()) {
      java.time.LocalTime at = java.time.LocalTime.parse(line.group(1));
      started.putIfAbsent(line.group(2), at);
      if (line.group(3).equals("OK")) {
        seconds.put(line.group(2), (double) java.time.Duration.between(started.get(line.group(2)),
            at).toSeconds());
      }
    }
    return seconds;
  }

  private static String jobId(String output) {
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("\\d{7}-\\d{15}-oozie-\\S+-W")
        .matcher(output);
    assertTrue(id.find(), output);
    return id.group();
  }

  @Test
  @Order(9)
  void downStopsEverythingAndLeavesNoProcess() throws Exception {
    Processes.Run stop = Processes.localCluster("down", dir).assertSucceeded();
    down = true;
    timings.put("down", stop.seconds());
    assertTrue(stop.output().contains("local-cluster: down in"), stop.output());
    assertEquals(List.of(), Processes.processesUnder(dir));
    // Every port of every daemon, as rendered into its daemon.env.
    List<Integer> ports = new ArrayList<>();
    try (var envs = Files.newDirectoryStream(dir.resolve("daemons"))) {
      for (Path daemon : envs) {
        for (String line : Files.readAllLines(daemon.resolve("daemon.env"))) {
          if (line.startsWith("PORTS=") && !daemon.getFileName().toString().equals("hue")) {
            for (String port : line.replaceAll("PORTS='(.*)'", "$1").split(" ")) {
              ports.add(Integer.parseInt(port.replaceAll(".*=", "")));
            }
          }
        }
      }
    }
    assertTrue(ports.size() > 30, ports.toString());
    for (int port : ports) {
      assertFalse(listening(port), "port " + port + " still open");
    }
    Processes.Run again = Processes.localCluster("down", dir).assertSucceeded();
    assertTrue(again.output().contains("local-cluster: nothing runs in " + dir), again.output());
    Processes.Run status = Processes.localCluster("status", dir);
    assertEquals(3, status.exit(), status.output());
  }

  // ------------------------------------------------------------------------------------------

  private static Path cifar() {
    String value = System.getenv("TINYTAGS_CIFAR_DIR");
    if (value == null || value.isEmpty()) {
      throw new AssertionError("set TINYTAGS_CIFAR_DIR to the CIFAR-10 binary batches");
    }
    return ROOT.resolve(value).normalize();
  }

  private static String user() {
    return System.getProperty("user.name");
  }

  private static Map<String, String> pids() throws IOException {
    Map<String, String> pids = new TreeMap<>();
    try (var files = Files.newDirectoryStream(dir.resolve("pids"), "*.pid")) {
      for (Path file : files) {
        pids.put(file.getFileName().toString().replace(".pid", ""), Files.readString(file).trim());
      }
    }
    return pids;
  }

  /** A command through bin/tinytags with the cluster's configuration: RunJar, YARN, HDFS. */
  private static Processes.Run cluster(String... args) throws Exception {
    return clusterMayFail(args).assertSucceeded();
  }

  /** As {@link #cluster}, its exit status left to the caller. */
  private static Processes.Run clusterMayFail(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/tinytags").toString()));
    command.addAll(List.of(args));
    return Processes.run(Map.of("HADOOP_CONF_DIR", conf.toString()), 900, command);
  }

  /** The same command from the job jar, on the local job runner and local files. */
  private static Processes.Run local(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx2g", "-Djava.awt.headless=true"));
    command.addAll(List.of(System.getProperty("tinytags.test.opens",
        "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
        + "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
        + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED "
        + "--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.desktop/java.awt.font=ALL-UNNAMED")
        .split(" ")));
    command.addAll(List.of("-Dlog4j.configuration=file:" + ROOT.resolve("bin/log4j.properties"),
        // Without a cluster's configuration: the local job runner, as `hadoop jar` on a laptop.
        "-cp", jobJar() + ":" + Files.readString(ROOT.resolve("cluster-setup/daemons/hadoop/target/classpath.txt")).trim(),
        "org.tinytags.TinyTags"));
    command.addAll(List.of(args));
    return Processes.run(Map.of(), 900, command).assertSucceeded();
  }

  private static List<String> hiveCommand(String... args) throws IOException {
    Path hive = ROOT.resolve("hive/target");
    String jar;
    try (var jars = Files.newDirectoryStream(hive, "tinytags-hive-*.jar")) {
      jar = java.util.stream.StreamSupport.stream(jars.spliterator(), false).map(Path::toString)
          .filter(p -> !p.contains("-tests")).findFirst().orElseThrow();
    }
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
    command.addAll(List.of(System.getProperty("tinytags.hive.opens",
        "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED "
        + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
        + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED").split(" ")));
    command.addAll(List.of("-cp", conf + ":" + jar + ":" + Files.readString(hive.resolve("hive-classpath.txt")).trim(),
        "org.tinytags.hive.HiveTool"));
    command.addAll(List.of(args));
    return command;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path jobJar() throws IOException {
    try (var jars = Files.newDirectoryStream(ROOT.resolve("mr-jobs/target"), "tinytags-mr-jobs-*-job.jar")) {
      return jars.iterator().next();
    }
  }

  private static FileSystem hdfs() throws IOException {
    Configuration c = new Configuration();
    c.addResource(new org.apache.hadoop.fs.Path(conf.resolve("core-site.xml").toUri()));
    c.addResource(new org.apache.hadoop.fs.Path(conf.resolve("hdfs-site.xml").toUri()));
    return FileSystem.newInstance(c);
  }

  private static String forestSha(FileSystem fs, org.apache.hadoop.fs.Path modelJson) throws IOException {
    try (var in = fs.open(modelJson)) {
      String sha = JSON.readTree(in).path("forestSha256").asText();
      assertEquals(64, sha.length(), modelJson.toString());
      return sha;
    }
  }

  /** Every classify row, each column as text, ordered by image id. */
  private static List<String> rows(FileSystem fs, org.apache.hadoop.fs.Path tags) throws IOException {
    Map<Long, String> rows = new TreeMap<>();
    for (FileStatus partition : fs.listStatus(tags, p -> p.getName().startsWith("block="))) {
      for (FileStatus file : fs.listStatus(partition.getPath(), p -> p.getName().endsWith(".orc"))) {
        try (Reader reader = OrcFile.createReader(file.getPath(), OrcFile.readerOptions(fs.getConf()).filesystem(fs));
            RecordReader records = reader.rows()) {
          VectorizedRowBatch batch = reader.getSchema().createRowBatch();
          List<String> names = reader.getSchema().getFieldNames();
          while (records.nextBatch(batch)) {
            for (int r = 0; r < batch.size; r++) {
              StringBuilder row = new StringBuilder();
              for (int c = 0; c < batch.cols.length; c++) {
                row.append(names.get(c)).append('=');
                batch.cols[c].stringifyValue(row, r);
                row.append(' ');
              }
              long id = ((org.apache.hadoop.hive.ql.exec.vector.LongColumnVector) batch.cols[0]).vector[r];
              rows.put(id, row.toString().trim());
            }
          }
        }
      }
    }
    return new ArrayList<>(rows.values());
  }

  /** The ids of the tagged rows (the first column, the image id). */
  private static List<String> taggedIds(List<String> rows) {
    return rows.stream().filter(r -> r.endsWith("tagged=1"))
        .map(r -> r.substring(r.indexOf('=') + 1, r.indexOf(' '))).collect(Collectors.toList());
  }

  /** Documents per shard, as the index job's _index.json lists them. */
  private static List<Long> shardDocuments(FileSystem fs, org.apache.hadoop.fs.Path index)
      throws IOException {
    List<Long> documents = new ArrayList<>();
    try (var in = fs.open(new org.apache.hadoop.fs.Path(index, "_index.json"))) {
      for (JsonNode shard : JSON.readTree(in).path("shards")) {
        documents.add(shard.path("documents").asLong());
      }
    }
    return documents;
  }

  /** The tagged rows (ORC's booleans print as 1 and 0) by the value of {@code column}. */
  private static Map<String, Long> taggedPer(List<String> rows, String column) {
    Map<String, Long> counts = new TreeMap<>();
    for (String row : rows) {
      if (row.endsWith("tagged=1")) {
        counts.merge(row.replaceAll(".*\\b" + column + "=(\\d+).*", "$1"), 1L, Long::sum);
      }
    }
    return counts;
  }

  /** A Solr field facet's counts ({@code facet_fields.<field>}: value, count, ...) by value. */
  private static Map<String, Long> facetCounts(JsonNode select, String field) {
    JsonNode facet = select.path("facet_counts").path("facet_fields").path(field);
    Map<String, Long> counts = new TreeMap<>();
    for (int i = 0; i < facet.size(); i += 2) {
      counts.put(facet.get(i).asText(), facet.get(i + 1).asLong());
    }
    return counts;
  }

  private static long manifestBytes(String it) throws Exception {
    return get(NN + it + "/blocks/_manifest.json?op=GETFILESTATUS&" + HUE).path("FileStatus").path("length").asLong();
  }

  private static void refreshProxyUsers() throws Exception {
    Processes.run(Map.of(), 120, List.of(javaBin(), "-cp",
        conf + ":" + dir.resolve("install/lib/hadoop") + "/*",
        "org.apache.hadoop.hdfs.tools.DFSAdmin", "-refreshSuperUserGroupsConfiguration")).assertSucceeded();
  }

  private static String open(String path, long offset, long length) throws Exception {
    HttpResponse<String> response = http(NN + path + "?op=OPEN&offset=" + offset + "&length=" + length + "&" + HUE);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static HttpResponse<String> http(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(java.time.Duration.ofSeconds(120)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http(url);
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static JsonNode post(String url, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return JSON.readTree(response.body());
  }
}

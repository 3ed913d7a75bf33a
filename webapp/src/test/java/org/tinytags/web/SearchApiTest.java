package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tinytags.classify.TagRows;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;
import org.tinytags.image.ImageRecord;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.TestCifar;

/** The JSON API over HTTP against the real Solr that serve started. */
class SearchApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  static ServedCorpus corpus;

  @BeforeAll
  static void serve() {
    corpus = ServedCorpus.get();
  }

  record Reply(int status, String type, byte[] body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  static Reply get(String pathAndQuery) throws Exception {
    HttpResponse<byte[]> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(ServedCorpus.get().pageUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  static List<Long> ids(JsonNode images) {
    List<Long> ids = new ArrayList<>();
    images.forEach(i -> ids.add(i.get("id").asLong()));
    return ids;
  }

  /** The ids the API must list for a filter: highest agreement first, then by id. */
  static List<Long> expectedOrder(List<TagRows.Row> rows) {
    return rows.stream()
        .sorted(Comparator.comparingInt((TagRows.Row r) -> -(int) (100L * r.votes() / r.trees()))
            .thenComparingLong(TagRows.Row::imageId))
        .map(TagRows.Row::imageId).toList();
  }

  @Test
  void searchWithoutFiltersListsEveryTaggedImageWithCountsPerTag() throws Exception {
    Reply reply = get("api/search");
    assertEquals(200, reply.status());
    assertTrue(reply.type().startsWith("application/json"));
    JsonNode body = reply.json();
    List<TagRows.Row> all = corpus.matching(List.of(), 0, 100);
    assertEquals(all.size(), body.get("total").asLong());
    assertEquals((all.size() + 29) / 30, body.get("pages").asInt());
    long sum = 0;
    for (String tag : CifarClasses.NAMES) {
      long expected = all.stream().filter(r -> CifarClasses.name(r.label()).equals(tag)).count();
      assertEquals(expected, body.get("counts").get(tag).asLong(), tag);
      sum += expected;
    }
    assertEquals(all.size(), sum);
    assertEquals(expectedOrder(all).subList(0, 30), ids(body.get("images")));

    JsonNode first = body.get("images").get(0);
    TagRows.Row row = all.stream().filter(r -> r.imageId() == first.get("id").asLong())
        .findFirst().orElseThrow();
    assertEquals(CifarClasses.name(row.label()), first.get("label").asText());
    assertEquals(100L * row.votes() / row.trees(), first.get("agreement").asLong());
    assertEquals(row.block(), first.get("block").asInt());
    assertEquals(row.offset(), first.get("offset").asLong());
    for (int c = 0; c < CifarClasses.COUNT; c++) {
      assertEquals(row.classVotes()[c], first.get("classVotes").get(CifarClasses.name(c)).asInt());
    }
  }

  @Test
  void tagsAndAgreementFilterWhileCountsIgnoreOnlyTheTagFilter() throws Exception {
    JsonNode body = get("api/search?tags=dog,cat&min=50&max=90").json();
    List<TagRows.Row> expected = corpus.matching(List.of("cat", "dog"), 50, 90);
    assertTrue(expected.size() > 30, "enough for two pages: " + expected.size());
    assertEquals(expected.size(), body.get("total").asLong());
    for (String tag : CifarClasses.NAMES) {
      assertEquals(corpus.matching(List.of(tag), 50, 90).size(),
          body.get("counts").get(tag).asLong(), tag);
    }
    List<Long> order = expectedOrder(expected);
    assertEquals(order.subList(0, 30), ids(body.get("images")));
    JsonNode page2 = get("api/search?tags=cat,dog&min=50&max=90&page=2").json();
    assertEquals(order.subList(30, Math.min(60, order.size())), ids(page2.get("images")));
    Set<Long> both = new HashSet<>(ids(body.get("images")));
    both.retainAll(ids(page2.get("images")));
    assertTrue(both.isEmpty(), "pages do not overlap");
  }

  @Test
  void badRequestsGetAClearJsonError() throws Exception {
    Map<String, Integer> cases = Map.ofEntries(
        Map.entry("api/search?tags=unicorn", 400),
        Map.entry("api/search?tags=cat%20OR%20*:*", 400),
        Map.entry("api/search?min=-1", 400),
        Map.entry("api/search?max=101", 400),
        Map.entry("api/search?min=90&max=50", 400),
        Map.entry("api/search?min=abc", 400),
        Map.entry("api/search?page=0", 400),
        Map.entry("api/search?page=300", 404),
        Map.entry("api/search?min=1&min=2", 400),
        Map.entry("api/search?q=*:*", 400),
        Map.entry("api/image/abc.png", 400),
        Map.entry("api/image/-3.png", 400),
        Map.entry("api/image/1200.png", 404),
        Map.entry("api/image/99999999", 404),
        Map.entry("api/nothing", 404));
    for (Map.Entry<String, Integer> c : cases.entrySet()) {
      Reply reply = get(c.getKey());
      assertEquals(c.getValue(), reply.status(), c.getKey());
      assertTrue(reply.type().startsWith("application/json"), c.getKey());
      JsonNode error = reply.json();
      assertEquals(c.getValue(), error.get("status").asInt());
      assertTrue(error.get("error").asText().length() > 10, c.getKey());
    }
    assertTrue(get("api/search?tags=unicorn").json().get("error").asText().contains("unicorn"));
    assertTrue(get("api/search?page=300").json().get("error").asText().contains("last page"));
  }

  @Test
  void hostileRequestsGetTheDocumentedStatusAndEchoNoInternals() throws Exception {
    String many = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "p" + i + "=1")
        .collect(java.util.stream.Collectors.joining("&"));
    Map<String, Integer> cases = Map.ofEntries(
        Map.entry("api/search?page=" + (SearchRequest.MAX_PAGE + 1), 400),
        Map.entry("api/search?page=2147483647", 400),
        Map.entry("api/search?page=99999999999999999999", 400),
        Map.entry("api/search?tags=cat&tags=dog", 400),
        Map.entry("api/search?tags=" + "cat,".repeat(5_000), 400),
        Map.entry("api/search?" + many, 400),
        Map.entry("api/image/5.png?file=6.png", 400),
        Map.entry("api/image/..%2F..%2Fetc%2Fpasswd.png", 400),
        Map.entry("api/image/5%00.png", 400),
        Map.entry("api/image/0x10.png", 400),
        Map.entry("api/image/%2E%2E", 400),
        Map.entry("api/status?x=1", 400));
    for (Map.Entry<String, Integer> c : cases.entrySet()) {
      Reply reply = get(c.getKey());
      String shown = SearchRequest.abbreviate(c.getKey());
      assertEquals(c.getValue(), reply.status(), shown);
      String body = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
      assertFalse(body.contains(corpus.dir.toString()), shown + ": " + body);
      assertFalse(body.contains("127.0.0.1"), shown + ": " + body);
    }
    JsonNode deep = get("api/search?page=2147483647").json();
    assertTrue(deep.get("error").asText().contains("past the deepest page served ("
        + SearchRequest.MAX_PAGE), deep.toString());
    assertEquals(SearchRequest.MAX_PAGE, get("api/search").json().get("maxPage").asInt());
    assertTrue(get("api/image/5.png?file=6.png").json().get("error").asText()
        .contains("takes no parameters"));
    assertTrue(get("api/search?tags=" + "cat,".repeat(5_000)).json().get("error").asText()
        .contains("longer than " + SearchRequest.MAX_PARAMETER_LENGTH));
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    for (String path : List.of("", "app.js", "app.css", "api/search", "api/image/3.png",
        "api/image/3", "api/status", "api/search?tags=unicorn", "api/nothing")) {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(
          URI.create(corpus.served.pageUrl() + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      for (Map.Entry<String, String> header : WebServer.SECURITY_HEADERS.entrySet()) {
        assertEquals(header.getValue(), response.headers().firstValue(header.getKey())
            .orElse(null), path + " " + header.getKey());
      }
    }
  }

  @Test
  void statusSaysWhatTheIndexHolds() throws Exception {
    JsonNode status = get("api/status").json();
    long tagged = corpus.rows.stream().filter(TagRows.Row::tagged).count();
    assertEquals(tagged, status.get("documents").asLong());
    JsonNode runs = status.get("runs");
    long documents = 0;
    for (JsonNode run : runs) {
      documents += run.get("documents").asLong();
      assertTrue(run.get("indexRun").asText().matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}"),
          run.toString());
      assertEquals(64, run.get("splitSha256").asText().length());
      assertEquals(1, run.get("forests").size(), run.toString());
      assertEquals(64, run.get("forests").get(0).asText().length());
      assertEquals(0.42, run.get("minAgreements").get(0).asDouble(), 1e-9);
    }
    assertEquals(tagged, documents);
    assertEquals(1, status.get("splits").size());
    assertEquals(0, status.get("documentsWithoutLineage").asLong());
    assertEquals("", status.get("mixedBlocks").asText());
  }

  @Test
  void anUnreachableSolrIs503AndARefusedCallIs502WithoutItsAddress() throws Exception {
    try (var down = org.tinytags.solr.SolrTarget.standalone("http://127.0.0.1:1/solr", "x");
        var wrongCore = org.tinytags.solr.SolrTarget.standalone(corpus.served.solrUrl(),
            "no-such-core");
        WebServer unreachable = new WebServer(new SearchService(down), null, "127.0.0.1", 0);
        WebServer refused = new WebServer(new SearchService(wrongCore), null, "127.0.0.1", 0)) {
      for (var c : List.of(Map.entry(unreachable, 503), Map.entry(refused, 502))) {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + c.getKey().port() + "/api/search")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(c.getValue(), response.statusCode(), response.body());
        assertFalse(response.body().contains("127.0.0.1"), response.body());
        assertFalse(response.body().contains("no-such-core"), response.body());
      }
    }
  }

  @Test
  void imagesComeUprightFromTheBlockFiles() throws Exception {
    byte[] cifar = TestCifar.testRecords(ServedCorpus.IMAGES);
    for (int id : new int[] {0, 7, 401, 1199}) {
      Reply reply = get("api/image/" + id + ".png");
      assertEquals(200, reply.status());
      assertEquals("image/png", reply.type());
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(reply.body()));
      assertEquals(32, png.getWidth());
      assertEquals(32, png.getHeight());
      // make-corpus --variation none: image i is CIFAR-10 test record i (all here < 10,000).
      ImageRecord truth = ImageRecord.read(ImageLayout.CIFAR, cifar, id * 3073);
      for (int[] at : new int[][] {{0, 0}, {0, 31}, {5, 20}, {31, 3}, {17, 17}}) {
        assertEquals(truth.rgb(at[0], at[1]), png.getRGB(at[1], at[0]) & 0xffffff,
            "image " + id + " row " + at[0] + " col " + at[1]);
      }
    }
  }

  @Test
  void reindexingABlockThroughTheServedSolrLeavesTheResultsUnchanged() throws Exception {
    JsonNode before = get("api/search?min=40").json();
    var run = LocalHadoop.tinytags("reindex", "--block", "1", "--classified",
        corpus.classified.toString(), "--solr", corpus.served.solrUrl(), "--work",
        corpus.dir.resolve("reindex-1").toString());
    assertEquals(0, run.status(), run.err());
    JsonNode after = get("api/search?min=40").json();
    assertEquals(before.get("total"), after.get("total"));
    assertEquals(before.get("counts"), after.get("counts"));
    assertEquals(ids(before.get("images")), ids(after.get("images")));
    assertNotEquals(0, after.get("total").asLong());
  }

  @Test
  void serveOverARunningSolrSearchesItAsItIs() throws Exception {
    try (ServeCommand.Served other = ServeCommand.start(LocalHadoop.conf(), null,
        org.tinytags.solr.SolrTarget.standalone(corpus.served.solrUrl(),
            org.tinytags.solr.SolrHome.CORE), null, "127.0.0.1", 0, null)) {
      assertEquals(null, other.localSolr(), "no second Solr");
      HttpResponse<String> search = HTTP.send(HttpRequest.newBuilder(
          URI.create(other.pageUrl() + "api/search?tags=cat")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, search.statusCode());
      assertEquals(get("api/search?tags=cat").json().get("total"),
          JSON.readTree(search.body()).get("total"));
      HttpResponse<String> png = HTTP.send(HttpRequest.newBuilder(
          URI.create(other.pageUrl() + "api/image/3.png")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, png.statusCode(), "no --blocks, no thumbnails");
    }
  }
}

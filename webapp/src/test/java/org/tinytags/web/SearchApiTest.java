package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Map.entry("api/search?page=999", 404),
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
    assertTrue(get("api/search?page=999").json().get("error").asText().contains("last page"));
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
        corpus.classified.toString(), "--solr", corpus.served.solrUrl());
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
        corpus.served.solrUrl(), org.tinytags.index.SolrHome.CORE, null, "127.0.0.1", 0, null)) {
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

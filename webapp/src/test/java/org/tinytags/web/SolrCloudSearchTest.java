package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.classify.TagRows;
import org.tinytags.image.CifarClasses;
import org.tinytags.solr.SolrTarget;
import org.tinytags.testing.LocalHadoop;

/**
 * serve over a SolrCloud collection (two nodes, two shards of two replicas, started here as the
 * benchmark starts them): the index built for the collection and gone live into it in one
 * command, then searched through the API exactly as over a standalone core.
 */
class SolrCloudSearchTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return JSON.readTree(response.body());
  }

  @Test
  void theApiSearchesACollectionAsItSearchesACore() throws Exception {
    ServedCorpus corpus = ServedCorpus.get();
    try (BenchCloud cloud = BenchCloud.start(dir.resolve("cloud"), dir)) {
      String zk = cloud.zkHost();
      var create = LocalHadoop.tinytags("solr", "create", "--zk", zk, "--collection", "images",
          "--shards", "2", "--replicas", "2");
      assertEquals(0, create.status(), create.err());
      var index = LocalHadoop.tinytags("index", "--classified", corpus.classified.toString(),
          "--output", dir.resolve("index").toString(), "--zk", zk, "--collection", "images",
          "--go-live");
      assertEquals(0, index.status(), index.err());

      try (ServeCommand.Served served = ServeCommand.start(LocalHadoop.conf(), null,
          SolrTarget.cloud(zk, "images"), new org.apache.hadoop.fs.Path(corpus.blocks.toUri()),
          "127.0.0.1", 0, null)) {
        for (String query : List.of("api/search", "api/search?tags=cat,dog&min=50",
            "api/search?min=60&max=90&page=2")) {
          assertEquals(get(corpus.pageUrl() + query), get(served.pageUrl() + query), query);
        }
        TagRows.Row row = corpus.rows.stream().filter(TagRows.Row::tagged).skip(11)
            .findFirst().orElseThrow();
        JsonNode image = get(served.pageUrl() + "api/image/" + row.imageId());
        assertEquals(CifarClasses.name(row.label()), image.get("label").asText());
        JsonNode status = get(served.pageUrl() + "api/status");
        assertTrue(status.get("solrCloud").asBoolean(), status.toString());
        assertEquals(corpus.rows.stream().filter(TagRows.Row::tagged).count(),
            status.get("documents").asLong());
        assertEquals(1, status.get("runs").size(), status.toString());
      }
    }
  }
}

package org.tinytags.oozie;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An Oozie server through its REST API (the calls Oozie's own client and Hue make), over plain
 * HTTP with simple authentication ({@code user.name}): Oozie's client jars stay out of the job
 * jar and the web app.
 */
public class OozieServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final String user;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** {@code url}: the server's base, {@code http://host:11000/oozie}. */
  public OozieServer(String url, String user) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.user = user;
  }

  public String url() {
    return url;
  }

  /** The server's mode: NORMAL, NOJOBS or SAFEMODE. */
  public String mode() throws IOException {
    return get("/v1/admin/status").path("systemMode").asText();
  }

  /** The action types the sharelib holds libraries for ({@code oozie}, {@code hive2}, ...). */
  public List<String> sharelib() throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode lib : get("/v2/admin/list_sharelib").path("sharelib")) {
      names.add(lib.path("name").asText());
    }
    return names;
  }

  /** Oozie's verdict on a workflow, coordinator or bundle XML file in HDFS. */
  public String validate(String file) throws IOException {
    return send(HttpRequest.newBuilder(uri("/v2/validate?file=" + encode(file) + "&user="
        + encode(user))).POST(HttpRequest.BodyPublishers.noBody())
        .header("Content-Type", "application/xml;charset=UTF-8")).path("validate").asText();
  }

  /** Submits and starts a job; returns its id. {@code configXml}: a Hadoop configuration. */
  public String start(String configXml) throws IOException {
    return send(HttpRequest.newBuilder(uri("/v1/jobs?action=start"))
        .POST(HttpRequest.BodyPublishers.ofString(configXml, StandardCharsets.UTF_8))
        .header("Content-Type", "application/xml;charset=UTF-8")).path("id").asText();
  }

  /** A job's info: status, and for a workflow its actions (name, type, status, errors). */
  public JsonNode info(String id) throws IOException {
    return get("/v2/job/" + encode(id) + "?show=info");
  }

  private JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private URI uri(String path) {
    return URI.create(url + path + (path.contains("?") ? "&" : "?") + "user.name="
        + encode(user));
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException {
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Oozie at " + url, e);
    } catch (IOException e) {
      throw new IOException("Oozie at " + url + " is not answering: " + e, e);
    }
    if (response.statusCode() / 100 != 2) {
      // Oozie says what is wrong in two headers (its client prints the same).
      String code = response.headers().firstValue("oozie-error-code").orElse("");
      String message = response.headers().firstValue("oozie-error-message")
          .orElse(response.body().strip());
      throw new IOException("Oozie at " + url + " answered " + response.statusCode()
          + (code.isEmpty() ? "" : " " + code) + ": " + message);
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

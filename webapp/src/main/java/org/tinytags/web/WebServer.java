package org.tinytags.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web app: the search page (static files, no build step) and its JSON API.
 *
 * <ul>
 *   <li>{@code GET /api/search?tags=cat,dog&min=50&max=90&page=2} → {@link SearchResult}
 *   <li>{@code GET /api/image/{id}} → one indexed image's {@link SearchResult.Image}
 *   <li>{@code GET /api/image/{id}.png} → the image itself, upright, read from its block file
 *       (any image of the corpus: Hive's {@code thumbnail_url} addresses untagged ones too)
 *   <li>{@code GET /api/status} → what the index holds: documents, and per index run its split,
 *       forest, threshold and blocks
 * </ul>
 * Refused requests get their status with {@code {"status": 400, "error": "..."}}: 400 for a
 * request the API refuses, 404 for what does not exist, 502 when Solr fails a checked request,
 * 503 when Solr cannot be reached. Error bodies never carry server paths or internal addresses
 * (those go to the log). Every response carries {@link #SECURITY_HEADERS}.
 */
public class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATIC = "org/tinytags/web/static";
  /**
   * More query parameters than any API call takes (search has four names, each allowed once):
   * a request Undertow cuts at this many still holds a repeat or an unknown name, and is refused.
   */
  private static final int MAX_PARAMETERS = 16;

  /**
   * Sent with every response. The page loads its script, style and images from this server
   * only and is never framed; the policy is what it needs and no more.
   */
  public static final Map<String, String> SECURITY_HEADERS = Map.of(
      "X-Content-Type-Options", "nosniff",
      "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
          + "frame-ancestors 'none'",
      "Referrer-Policy", "no-referrer",
      "X-Frame-Options", "DENY");

  private final SearchService search;
  private final ImageStore images;
  private final Undertow server;

  /**
   * Starts serving on {@code host:port} (port 0: any free port). {@code images} may be null when
   * there are no block files (the search benchmark): thumbnails then answer 404.
   */
  public WebServer(SearchService search, ImageStore images, String host, int port) {
    this.search = search;
    this.images = images;
    RoutingHandler routes = Handlers.routing()
        .get("/api/search", blocking(this::search))
        .get("/api/status", blocking(this::status))
        .get("/api/image/{file}", blocking(this::image))
        .add(Methods.GET, "/api/*", exchange -> error(exchange,
            ApiException.notFound("no API at " + exchange.getRequestPath())))
        .setFallbackHandler(staticFiles());
    server = Undertow.builder()
        .addHttpListener(port, host)
        .setServerOption(UndertowOptions.MAX_PARAMETERS, MAX_PARAMETERS)
        .setHandler(withSecurityHeaders(routes))
        .build();
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  private static HttpHandler withSecurityHeaders(HttpHandler next) {
    return exchange -> {
      SECURITY_HEADERS.forEach((name, value) ->
          exchange.getResponseHeaders().put(new HttpString(name), value));
      next.handleRequest(exchange);
    };
  }

  private static HttpHandler staticFiles() {
    ResourceHandler files = Handlers.resource(
        new ClassPathResourceManager(WebServer.class.getClassLoader(), STATIC))
        .addWelcomeFiles("index.html")
        .setDirectoryListingEnabled(false)
        .setCacheTime(60);
    return exchange -> {
      if (!exchange.getRequestMethod().equals(Methods.GET)
          && !exchange.getRequestMethod().equals(Methods.HEAD)) {
        exchange.setStatusCode(405);
        exchange.endExchange();
        return;
      }
      files.handleRequest(exchange);
    };
  }

  private interface ApiHandler {
    void handle(HttpServerExchange exchange) throws ApiException, IOException;
  }

  /** Runs {@code handler} off the IO threads (Solr and HDFS calls block), mapping failures. */
  private static HttpHandler blocking(ApiHandler handler) {
    return new BlockingHandler(exchange -> {
      try {
        handler.handle(exchange);
      } catch (ApiException e) {
        error(exchange, e);
      } catch (IOException | RuntimeException e) {
        LOG.error("{} failed", exchange.getRequestURI(), e);
        error(exchange, new ApiException(500, "internal error (the server log says more)"));
      }
    });
  }

  private void search(HttpServerExchange exchange) throws ApiException, IOException {
    json(exchange, 200, search.search(SearchRequest.parse(exchange.getQueryParameters())));
  }

  private void status(HttpServerExchange exchange) throws ApiException, IOException {
    noParameters(exchange);
    json(exchange, 200, search.status());
  }

  private void image(HttpServerExchange exchange) throws ApiException, IOException {
    noParameters(exchange);
    // From the matched path itself: Undertow also files path parameters among the query
    // parameters, where "?file=" could add another.
    String file = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters()
        .get("file");
    boolean png = file.endsWith(".png");
    long id = imageId(png ? file.substring(0, file.length() - 4) : file);
    if (!png) {
      json(exchange, 200, search.image(id));
      return;
    }
    if (images == null) {
      throw ApiException.notFound("this server has no block files to read images from");
    }
    byte[] bytes = images.png(id);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "image/png");
    // An image id names the same bytes for the life of a corpus.
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=3600");
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }

  /** Refuses any query parameter: the call takes none. */
  private static void noParameters(HttpServerExchange exchange) throws ApiException {
    if (!exchange.getQueryString().isEmpty()) {
      throw ApiException.badRequest("this call takes no parameters, not '"
          + SearchRequest.abbreviate(exchange.getQueryString()) + "'");
    }
  }

  private static long imageId(String text) throws ApiException {
    try {
      long id = Long.parseLong(text);
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("an image id is a whole number 0 or more, not '"
          + SearchRequest.abbreviate(text) + "'");
    }
  }

  private static void error(HttpServerExchange exchange, ApiException e) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", e.status());
    body.put("error", e.getMessage());
    json(exchange, e.status(), body);
  }

  private static void json(HttpServerExchange exchange, int status, Object body)
      throws IOException {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(ByteBuffer.wrap(JSON.writeValueAsBytes(body)));
  }

  @Override
  public void close() {
    server.stop();
  }
}

package org.tinytags.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
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
 * </ul>
 * Refused requests get their status with {@code {"status": 400, "error": "..."}}.
 */
public class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATIC = "org/tinytags/web/static";

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
        .get("/api/image/{file}", blocking(this::image))
        .add(Methods.GET, "/api/*", exchange -> error(exchange,
            ApiException.notFound("no API at " + exchange.getRequestPath())))
        .setFallbackHandler(staticFiles());
    server = Undertow.builder()
        .addHttpListener(port, host)
        .setHandler(routes)
        .build();
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
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
        error(exchange, new ApiException(500, "internal error: " + e.getMessage()));
      }
    });
  }

  private void search(HttpServerExchange exchange) throws ApiException, IOException {
    json(exchange, 200, search.search(SearchRequest.parse(exchange.getQueryParameters())));
  }

  private void image(HttpServerExchange exchange) throws ApiException, IOException {
    String file = exchange.getQueryParameters().get("file").getFirst();
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

package org.tinytags.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.FacetField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tinytags.solr.IndexFields;
import org.tinytags.solr.SolrClients;
import org.tinytags.solr.SolrHome;

/**
 * The search page in a real headless Chromium (Debian's chromium + chromium-driver, which
 * {@code .ci/run} installs): search for a tag, see 30 thumbnails that really loaded, page
 * forward, compare the counts with Solr's own.
 */
class SearchPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static ServedCorpus corpus;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void open() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    // CI installs both, so there a missing browser is a failure, not a skip.
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed "
          + "(apt-get install chromium chromium-driver)");
    } else {
      assertTrue(installed, "CI must install chromium and chromium-driver");
    }
    corpus = ServedCorpus.get();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
            "--window-size=1200,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static List<String> shownIds() {
    List<String> ids = new ArrayList<>();
    for (WebElement thumb : browser.findElements(By.cssSelector("#results .thumb"))) {
      ids.add(thumb.getAttribute("data-id"));
    }
    return ids;
  }

  /** Waits until all result images finished loading and returns how many are 32×32. */
  private static long loadedThumbnails() {
    JavascriptExecutor js = browser;
    wait.until(d -> (Boolean) js.executeScript("return [...document.querySelectorAll("
        + "'#results img')].every(i => i.complete)"));
    return (Long) js.executeScript("return [...document.querySelectorAll('#results img')]"
        + ".filter(i => i.naturalWidth === 32 && i.naturalHeight === 32).length");
  }

  private static String solrIds(String tag, int page) throws Exception {
    return String.join(",", SearchApiTest.ids(SearchApiTest.get(
        "api/search?tags=" + tag + "&min=40&max=100&page=" + page).json().get("images"))
        .stream().map(String::valueOf).toList());
  }

  @Test
  void searchForATagPageForwardAndOpenAnImage() throws Exception {
    browser.get(corpus.pageUrl());
    wait.until(d -> !d.findElements(By.id("total")).isEmpty());

    browser.findElement(By.cssSelector("#tags input[value=cat]")).click();
    browser.findElement(By.id("search")).click();
    wait.until(d -> d.getCurrentUrl().contains("tags=cat"));
    JsonNode api = SearchApiTest.get("api/search?tags=cat&min=40&max=100").json();
    wait.until(d -> d.findElement(By.id("total")).getText()
        .equals(String.format("%,d", api.get("total").asLong())));
    assertTrue(api.get("total").asLong() > 30, "more than a page of cats");
    assertEquals(30, shownIds().size());
    assertEquals(30, loadedThumbnails(), "30 thumbnails loaded at their natural 32x32");
    assertEquals(solrIds("cat", 1), String.join(",", shownIds()));

    // The counts beside the tags are Solr's facet counts over the agreement range.
    try (SolrClient solr = SolrClients.http(corpus.served.solrUrl())) {
      SolrQuery facets = new SolrQuery("*:*").setRows(0).setFacet(true)
          .addFilterQuery(IndexFields.AGREEMENT + ":[40 TO 100]")
          .addFacetField(IndexFields.LABEL).setFacetMinCount(0);
      FacetField labels = solr.query(SolrHome.CORE, facets).getFacetField(IndexFields.LABEL);
      assertEquals(10, labels.getValueCount());
      for (FacetField.Count count : labels.getValues()) {
        String shown = browser.findElement(
            By.cssSelector("#tags .count[data-tag=" + count.getName() + "]")).getText();
        assertEquals(String.format("(%,d)", count.getCount()), shown, count.getName());
      }
    }

    List<String> page1 = shownIds();
    browser.findElement(By.id("next")).click();
    wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("page 2 of"));
    wait.until(d -> !shownIds().equals(page1));
    assertEquals(solrIds("cat", 2), String.join(",", shownIds()));
    assertEquals(shownIds().size(), loadedThumbnails());
    assertTrue(browser.getCurrentUrl().contains("page=2"));

    WebElement first = browser.findElement(By.cssSelector("#results .thumb"));
    String id = first.getAttribute("data-id");
    first.click();
    wait.until(d -> d.findElement(By.id("detail")).isDisplayed());
    assertEquals(id, browser.findElement(By.cssSelector("#detail-facts dd[data-fact=id]"))
        .getText());
    assertEquals(10, browser.findElements(By.cssSelector("#detail-votes [data-votes]")).size());
    JsonNode image = SearchApiTest.get("api/image/" + id).json();
    assertEquals(image.get("classVotes").get("cat").asText(), browser.findElement(
        By.cssSelector("#detail-votes [data-votes=cat]")).getText());

    // Reset clears the tag filter and goes back to page 1.
    browser.findElement(By.cssSelector("#detail .close")).click();
    browser.findElement(By.id("reset")).click();
    wait.until(d -> !d.getCurrentUrl().contains("tags="));
    JsonNode all = SearchApiTest.get("api/search?min=40&max=100").json();
    wait.until(d -> d.findElement(By.id("total")).getText()
        .equals(String.format("%,d", all.get("total").asLong())));
    assertNotEquals(api.get("total"), all.get("total"));
  }

  @Test
  void aRefusedSearchShowsTheApisMessage() {
    browser.get(corpus.pageUrl() + "?tags=cat&min=40&max=100&page=300");
    wait.until(d -> d.findElement(By.id("status")).getAttribute("class").equals("error"));
    assertTrue(browser.findElement(By.id("status")).getText().contains("past the last page"));
  }
}

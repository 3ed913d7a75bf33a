package org.tinytags.evaluate;

import java.util.ArrayList;
import java.util.List;

import org.tinytags.image.CifarClasses;
import org.tinytags.train.ForestModel;

/**
 * {@code evaluation.json}: how a model does on labelled images. Top-level keys are read by
 * scripts: extend, never rename.
 *
 * @param model the model directory evaluated
 * @param features the model's feature spec
 * @param trees trees in the forest
 * @param images images evaluated
 * @param accuracy share of images whose winning label is right (0-1)
 * @param confusion {@code confusion[true][predicted]} counts, 10x10
 * @param classes per-class precision and recall
 * @param agreement for each level k/N of tree agreement: coverage and precision
 * @param threshold the model's default minimum agreement
 * @param precisionAtThreshold precision of the images tagged at {@code threshold}
 * @param coverageAtThreshold share of images tagged at {@code threshold}
 */
public record Evaluation(String model, String features, int trees, int images, double accuracy,
    int[][] confusion, List<ClassScore> classes, List<AgreementLevel> agreement,
    double threshold, double precisionAtThreshold, double coverageAtThreshold) {

  /** Precision and recall of one class; precision is 0 when the class is never predicted. */
  public record ClassScore(int label, String name, int support, int predicted, double precision,
      double recall) {}

  /**
   * Images whose winning label has at least {@code minAgreement} of the trees' votes.
   *
   * @param minAgreement k/N
   * @param coverage share of all images that reach it
   * @param precision share of those that are right (1 when none reach it)
   */
  public record AgreementLevel(double minAgreement, double coverage, double precision) {}

  /**
   * Scores predictions. {@code votes[i]} are image i's class votes from {@code trees} trees,
   * {@code truth[i]} its label.
   */
  public static Evaluation of(String model, String features, int trees, int[][] votes,
      int[] truth, double threshold) {
    int images = truth.length;
    int[][] confusion = new int[CifarClasses.COUNT][CifarClasses.COUNT];
    // reached[k] / rightAt[k]: images whose winner has exactly k votes, and how many are right.
    int[] reached = new int[trees + 1];
    int[] rightAt = new int[trees + 1];
    int correct = 0;
    int tagged = 0;
    int taggedRight = 0;
    for (int i = 0; i < images; i++) {
      int predicted = ForestModel.winner(votes[i]);
      int winning = votes[i][predicted];
      boolean right = predicted == truth[i];
      confusion[truth[i]][predicted]++;
      reached[winning]++;
      if (right) {
        correct++;
        rightAt[winning]++;
      }
      if (ForestModel.agrees(winning, trees, threshold)) {
        tagged++;
        taggedRight += right ? 1 : 0;
      }
    }
    List<AgreementLevel> agreement = new ArrayList<>();
    int atLeast = 0;
    int rightAtLeast = 0;
    List<AgreementLevel> descending = new ArrayList<>();
    for (int k = trees; k >= 1; k--) {
      atLeast += reached[k];
      rightAtLeast += rightAt[k];
      descending.add(new AgreementLevel((double) k / trees, (double) atLeast / images,
          atLeast == 0 ? 1.0 : (double) rightAtLeast / atLeast));
    }
    for (int i = descending.size() - 1; i >= 0; i--) {
      agreement.add(descending.get(i));
    }
    List<ClassScore> classes = new ArrayList<>();
    for (int label = 0; label < CifarClasses.COUNT; label++) {
      int support = 0;
      int predicted = 0;
      for (int other = 0; other < CifarClasses.COUNT; other++) {
        support += confusion[label][other];
        predicted += confusion[other][label];
      }
      int hits = confusion[label][label];
      classes.add(new ClassScore(label, CifarClasses.name(label), support, predicted,
          predicted == 0 ? 0 : (double) hits / predicted, support == 0 ? 0 : (double) hits / support));
    }
    return new Evaluation(model, features, trees, images, (double) correct / images, confusion,
        classes, agreement, threshold, tagged == 0 ? 1.0 : (double) taggedRight / tagged,
        (double) tagged / images);
  }
}

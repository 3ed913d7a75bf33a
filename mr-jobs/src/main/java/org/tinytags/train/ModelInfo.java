package org.tinytags.train;

import java.util.List;

/**
 * {@code model.json}: what a forest was trained on and how. Scripts read these keys: extend,
 * never rename.
 *
 * @param trees trees in the forest
 * @param features feature spec ({@link org.tinytags.features.FeatureExtractor#spec()})
 * @param featureVersion {@link org.tinytags.features.FeatureExtractor#VERSION} at training time
 * @param attributes length of the feature vector
 * @param trainingImages labelled images the forest was grown on
 * @param seed random seed of the builder
 * @param builder {@code inmem} or {@code partial}
 * @param mappers map tasks that grew the trees (part of what makes a forest reproducible)
 * @param trainSeconds wall time of the training job
 * @param minAgreement default threshold: least share of trees that must vote for a tag
 * @param labels class names, index = CIFAR-10 label
 * @param forestSha256 SHA-256 of the forest file, to refuse a truncated or altered forest
 * @param mahoutVersion Mahout release that grew it
 * @param hadoopVersion Hadoop release the job ran on
 */
public record ModelInfo(int trees, String features, String featureVersion, int attributes,
    long trainingImages, long seed, String builder, int mappers, double trainSeconds,
    double minAgreement, List<String> labels, String forestSha256, String mahoutVersion,
    String hadoopVersion) {}

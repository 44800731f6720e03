package org.mixq.rl.config;

/**
 * What a run measures: the full-precision checkpoint and its data.
 *
 * @param checkpoint the full-precision model's checkpoint file, an absolute path
 * @param dataset    the dataset, null for the one the checkpoint was trained on
 * @param dataDir    the folder holding the dataset's files, null for the usual places
 */
public record DataSource(String checkpoint, String dataset, String dataDir) {
}

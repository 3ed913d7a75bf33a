-- The true labels of a corpus made by `make-corpus`: its <corpus>.labels sidecar holds one
-- label byte per image. Hive reads no raw byte files, so `bin/tinytags hive --labels` writes the
-- sidecar out as tab-separated rows (image_id, label) into labels_data.
-- Variables: database, labels_data (the directory holding the rows).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:database}.true_labels (
  image_id BIGINT COMMENT 'global image index',
  label INT COMMENT 'true CIFAR-10 label 0-9')
COMMENT 'TinyTags corpus ground truth from make-corpus'
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t'
STORED AS TEXTFILE
LOCATION '${hivevar:labels_data}';

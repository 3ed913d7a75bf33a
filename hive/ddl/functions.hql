-- TinyTags' functions, permanent in the database, from the UDF jar (udfs/ in the repository).
-- Variables: database; udf_jar (a URI HiveServer2 can read: file:///... on its own machine,
-- hdfs://... on a cluster). Dropped and created again, so a new jar takes effect.
DROP FUNCTION IF EXISTS ${hivevar:database}.tag_name;
CREATE FUNCTION ${hivevar:database}.tag_name AS 'org.tinytags.udf.TagName'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.tag_id;
CREATE FUNCTION ${hivevar:database}.tag_id AS 'org.tinytags.udf.TagId'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.agreement_band;
CREATE FUNCTION ${hivevar:database}.agreement_band AS 'org.tinytags.udf.AgreementBand'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.class_votes_map;
CREATE FUNCTION ${hivevar:database}.class_votes_map AS 'org.tinytags.udf.ClassVotesMap'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.runner_up;
CREATE FUNCTION ${hivevar:database}.runner_up AS 'org.tinytags.udf.RunnerUp'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.thumbnail_url;
CREATE FUNCTION ${hivevar:database}.thumbnail_url AS 'org.tinytags.udf.ThumbnailUrl'
  USING JAR '${hivevar:udf_jar}';
DROP FUNCTION IF EXISTS ${hivevar:database}.image_location;
CREATE FUNCTION ${hivevar:database}.image_location AS 'org.tinytags.udf.ImageLocation'
  USING JAR '${hivevar:udf_jar}';

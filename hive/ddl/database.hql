-- The database that holds TinyTags' tables, views and functions.
-- Variables: database (e.g. tinytags).
CREATE DATABASE IF NOT EXISTS ${hivevar:database}
  COMMENT 'TinyTags: CIFAR-10 tags of a corpus of 32x32 images';

-- The n most confident images of every tag (highest agreement, then lowest id), with where
-- their records are. Variables: database, table, n (e.g. 10).
SELECT tag, tag_rank, image_id, agreement, votes, trees, block, `offset`
FROM (
  SELECT ${hivevar:database}.tag_name(label) AS tag,
         ROW_NUMBER() OVER (PARTITION BY label ORDER BY agreement DESC, image_id) AS tag_rank,
         image_id, agreement, votes, trees, block, `offset`
  FROM ${hivevar:database}.${hivevar:table}
) ranked
WHERE tag_rank <= ${hivevar:n}
ORDER BY tag, tag_rank;

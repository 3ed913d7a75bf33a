-- Blocks whose mean agreement is unusually low: a z-score of the block's mean against the
-- means of all blocks below -z (e.g. 2). A block of unlike images (another source, a corrupt
-- stretch) stands out so. With one block, or blocks of equal means, the deviation is 0 and no
-- block is listed. Variables: database, table, z.
SELECT block, images, mean_agreement, z_score
FROM (
  SELECT block, images, mean_agreement,
         (mean_agreement - avg(mean_agreement) OVER ())
           / stddev_pop(mean_agreement) OVER () AS z_score
  FROM (
    SELECT block, count(*) AS images, avg(agreement) AS mean_agreement
    FROM ${hivevar:database}.${hivevar:table}
    GROUP BY block
  ) per_block
) scored
WHERE z_score < -(${hivevar:z})
ORDER BY z_score, block;

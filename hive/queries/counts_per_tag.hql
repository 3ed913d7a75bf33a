-- Images per tag and agreement band (10 points wide), with how many of them are tagged.
-- Variables: database, table.
SELECT ${hivevar:database}.tag_name(label) AS tag,
       ${hivevar:database}.agreement_band(agreement) AS band,
       count(*) AS images,
       sum(IF(tagged, 1, 0)) AS tagged
FROM ${hivevar:database}.${hivevar:table}
GROUP BY label, ${hivevar:database}.agreement_band(agreement)
ORDER BY tag, band;

// The comparison dbt-audit-helper's compare_relations generates for two relations: INTERSECT and
// EXCEPT both ways, then a summary of rows in a only, b only and both. Standard SQL, the same
// text on DuckDB and PostgreSQL. It is the baseline the COMPARE benchmarks measure against.
export function dbtAuditExceptSql(a, b) {
  return `WITH a AS (SELECT * FROM ${a}), b AS (SELECT * FROM ${b}),
a_intersect_b AS (SELECT * FROM a INTERSECT SELECT * FROM b),
a_except_b AS (SELECT * FROM a EXCEPT SELECT * FROM b),
b_except_a AS (SELECT * FROM b EXCEPT SELECT * FROM a),
all_records AS (
  SELECT *, true AS in_a, true AS in_b FROM a_intersect_b
  UNION ALL SELECT *, true AS in_a, false AS in_b FROM a_except_b
  UNION ALL SELECT *, false AS in_a, true AS in_b FROM b_except_a
),
summary_stats AS (SELECT in_a, in_b, count(*) AS count FROM all_records GROUP BY 1, 2),
final AS (SELECT *, round(100.0 * count / sum(count) OVER (), 2) AS percent_of_total FROM summary_stats ORDER BY in_a DESC, in_b DESC)
SELECT * FROM final`;
}

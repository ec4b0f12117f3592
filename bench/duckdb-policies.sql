-- The five policies of bench/policies.yaml as the SQL a data engineer would write instead of
-- routesim (docs/performance.md, "Against DuckDB"): prices from datasets/models.yaml, each
-- policy a CASE over the recorded outcomes, per policy CPI, success rate and p50/p95 latency.
-- bench/bench.py runs it with DuckDB over the benchmark log ({path}) and checks every figure
-- against routesim's summary.json.
WITH r AS (
  SELECT input_tokens AS it, category, features.has_code AS has_code, router.model AS rmodel, router.confidence AS rconf,
         outcomes.small.success AS s_ok, outcomes.small.latency_ms AS s_lat, outcomes.small.confidence AS s_conf,
         (input_tokens * 0.15 + coalesce(outcomes.small.output_tokens, output_tokens) * 0.60) / 1e6 AS s_cost,
         outcomes.medium.success AS m_ok, outcomes.medium.latency_ms AS m_lat, outcomes.medium.confidence AS m_conf,
         (input_tokens * 2.50 + coalesce(outcomes.medium.output_tokens, output_tokens) * 10.00) / 1e6 AS m_cost,
         outcomes.large.success AS l_ok, outcomes.large.latency_ms AS l_lat,
         (input_tokens * 15.00 + coalesce(outcomes.large.output_tokens, output_tokens) * 75.00) / 1e6 AS l_cost
  FROM read_json('{path}', format = 'newline_delimited')
), priced AS (
  SELECT *,
    -- the cheapest successful model's cost (NULL when none succeeded) and the cheapest overall
    least(CASE WHEN s_ok THEN s_cost END, CASE WHEN m_ok THEN m_cost END, CASE WHEN l_ok THEN l_cost END) AS best_ok,
    least(s_cost, m_cost, l_cost) AS best
  FROM r
), chosen AS (
  SELECT *,
    CASE WHEN category IN ('greeting', 'faq') THEN 'small' WHEN category = 'legal' THEN 'large'
         WHEN has_code THEN 'large' WHEN it > 2000 THEN 'large' ELSE 'medium' END AS rules_model,
    -- at 0.75 or above the predicted model (0.75-0.90 flagged for review, free here); below, the next tier
    CASE WHEN coalesce(rconf, -1) >= 0.75 THEN rmodel WHEN rmodel = 'small' THEN 'medium' ELSE 'large' END AS shadow_model,
    coalesce(s_conf >= 0.80, false) AS small_accepts, coalesce(m_conf >= 0.70, false) AS medium_accepts,
    -- ties go to the lower tier
    CASE WHEN best_ok IS NULL THEN CASE best WHEN s_cost THEN 'small' WHEN m_cost THEN 'medium' ELSE 'large' END
         WHEN s_ok AND s_cost = best_ok THEN 'small' WHEN m_ok AND m_cost = best_ok THEN 'medium' ELSE 'large' END AS oracle_model
  FROM priced
), answers AS (
  SELECT 'always-large' AS policy, l_cost AS cost, l_ok AS ok, l_lat AS lat FROM chosen
  UNION ALL
  SELECT 'rules-v1', 0.00002 + CASE rules_model WHEN 'small' THEN s_cost WHEN 'medium' THEN m_cost ELSE l_cost END,
         CASE rules_model WHEN 'small' THEN s_ok WHEN 'medium' THEN m_ok ELSE l_ok END,
         3 + CASE rules_model WHEN 'small' THEN s_lat WHEN 'medium' THEN m_lat ELSE l_lat END FROM chosen
  UNION ALL
  SELECT 'shadow-router', CASE shadow_model WHEN 'small' THEN s_cost WHEN 'medium' THEN m_cost ELSE l_cost END,
         CASE shadow_model WHEN 'small' THEN s_ok WHEN 'medium' THEN m_ok ELSE l_ok END,
         CASE shadow_model WHEN 'small' THEN s_lat WHEN 'medium' THEN m_lat ELSE l_lat END FROM chosen
  UNION ALL
  -- every step tried is paid, and every acceptance check but the last step's
  SELECT 'cascade-v1',
         s_cost + 0.00002 + CASE WHEN small_accepts THEN 0 ELSE m_cost + 0.00002 + CASE WHEN medium_accepts THEN 0 ELSE l_cost END END,
         CASE WHEN small_accepts THEN s_ok WHEN medium_accepts THEN m_ok ELSE l_ok END,
         s_lat + 20 + CASE WHEN small_accepts THEN 0 ELSE m_lat + 20 + CASE WHEN medium_accepts THEN 0 ELSE l_lat END END FROM chosen
  UNION ALL
  SELECT 'oracle', CASE oracle_model WHEN 'small' THEN s_cost WHEN 'medium' THEN m_cost ELSE l_cost END,
         CASE oracle_model WHEN 'small' THEN s_ok WHEN 'medium' THEN m_ok ELSE l_ok END,
         CASE oracle_model WHEN 'small' THEN s_lat WHEN 'medium' THEN m_lat ELSE l_lat END FROM chosen
)
SELECT policy, sum(cost) / count(*) AS cpi_usd, avg(ok::INTEGER) AS success_rate,
       quantile_cont(lat, 0.5) AS p50, quantile_cont(lat, 0.95) AS p95
FROM answers GROUP BY policy ORDER BY policy

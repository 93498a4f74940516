import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The campaign step's writes as two server-side functions, so the worker's commit pays two round
 * trips for campaigns (three when it creates one) instead of ten: candidate retrieval (optionally
 * under the create lock), and one call that creates campaigns, files exemplars and keys, assigns the
 * reports and keeps every counter. The decisions stay in TypeScript (shared/campaigns); these only
 * write what was decided. Lock order: the campaign rows it touches, in id order, before any statement
 * that references them; every later multi-row write is keyed by campaign (serialised by those locks)
 * or sorted.
 */
export class CampaignFunctions1764420000002 implements MigrationInterface {
  name = 'CampaignFunctions1764420000002';

  async up(q: QueryRunner): Promise<void> {
    // A reporter as a 64-bit digest of its identity (NFKC, lower case, +tag removed): a pseudonym, never the address.
    await q.query(`
      CREATE FUNCTION campaign_reporter_digest(reporter text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
        SELECT ('x' || left(encode(sha256(convert_to(
                 CASE WHEN at > 1 AND at < length(a)
                      THEN CASE WHEN strpos(left(a, at - 1), '+') > 1 THEN left(a, strpos(left(a, at - 1), '+') - 1) ELSE left(a, at - 1) END || substr(a, at)
                      ELSE a END, 'UTF8')), 'hex'), 16))::bit(64)::bigint
          FROM (SELECT a, CASE WHEN strpos(a, '@') = 0 THEN 0 ELSE length(a) - strpos(reverse(a), '@') + 1 END AS at
                  FROM (SELECT lower(btrim(normalize(reporter, NFKC))) AS a) n) p
      $$`);

    // Exemplars of the campaigns filed under any of the keys (the newest per_key campaigns per key).
    // With take_lock, first the transaction-scoped create lock: the query after it sees every campaign
    // committed by the creator it waited for (a fresh snapshot per statement in a volatile function).
    await q.query(`
      CREATE FUNCTION campaign_candidates(keys bigint[], per_key int, take_lock boolean)
        RETURNS TABLE (campaign_id bigint, judge varchar, signature bytea, exact text, url_domains text[], subject_stem text)
        LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        -- 7161125211933861742 = the ASCII bytes of "campaign": the create lock's id.
        IF take_lock THEN PERFORM pg_advisory_xact_lock(7161125211933861742); END IF;
        RETURN QUERY
          WITH cand AS (
            SELECT DISTINCT k.campaign_id FROM unnest(keys) AS q(key)
             CROSS JOIN LATERAL (SELECT ck.campaign_id FROM campaign_keys ck WHERE ck.key = q.key ORDER BY ck.campaign_id DESC LIMIT per_key) k)
          SELECT e.campaign_id, e.judge, e.signature, e.exact, e.url_domains, e.subject_stem
            FROM campaign_exemplars e JOIN cand ON cand.campaign_id = e.campaign_id;
      END $$`);

    await q.query(`
      CREATE TYPE campaign_assigned AS (
        id uuid, key text, campaign_id bigint, received_at timestamptz, reporter text, reporter_trust text,
        relay_ip inet, originating_ip inet, tenant_id text)`);

    await q.query(`
      CREATE FUNCTION campaign_commit(p jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        refs jsonb := '{}'::jsonb;
        c record;
        new_id bigint;
        arows campaign_assigned[];
        touched jsonb;
        detected bigint[];
        threshold int := coalesce((p->>'alert')::int, 2147483647);
        touched_ids bigint[];
        redirect jsonb;
        late jsonb;
      BEGIN
        -- 1. New campaigns; refs maps the plan's 'new:k' to the id.
        FOR c IN SELECT * FROM jsonb_to_recordset(coalesce(p->'create', '[]')) AS x(ref text, at timestamptz, subject text, stem text, judge text) LOOP
          INSERT INTO campaigns (first_seen, last_seen, subject, subject_stem, judge) VALUES (c.at, c.at, left(c.subject, 998), c.stem, c.judge) RETURNING id INTO new_id;
          refs := refs || jsonb_build_object(c.ref, new_id);
        END LOOP;

        -- 2. Lock the existing campaigns this commit touches, in id order, before anything references them:
        --    foreign-key checks take KEY SHARE locks, and an analyst's merge locks FOR UPDATE in the same
        --    order. A campaign merged away hands everything on to its survivor (one hop: merges flatten
        --    redirect chains); survivors are read first and locked in the same sorted pass, then checked
        --    again under the locks (a merge committed in between only adds its survivor, late).
        touched_ids := ARRAY(
            SELECT x.campaign::bigint FROM jsonb_to_recordset(coalesce(p->'assign', '[]')) AS x(campaign text) WHERE x.campaign NOT LIKE 'new:%');
        SELECT coalesce(jsonb_object_agg(m.id::text, m.merged_into), '{}'::jsonb) INTO redirect FROM campaigns m WHERE m.id = ANY(touched_ids) AND m.merged_into IS NOT NULL;
        -- One array, not "id = ANY(…) OR id IN (…)": an OR here made the planner scan every campaign.
        touched_ids := ARRAY(SELECT unnest(touched_ids) UNION SELECT value::bigint FROM jsonb_each_text(redirect));
        PERFORM 1 FROM campaigns WHERE id = ANY(touched_ids) ORDER BY id FOR NO KEY UPDATE;
        SELECT coalesce(jsonb_object_agg(m.id::text, m.merged_into), '{}'::jsonb) INTO late FROM campaigns m WHERE m.id = ANY(touched_ids) AND m.merged_into IS NOT NULL;
        IF late <> redirect THEN
          PERFORM 1 FROM campaigns WHERE id = ANY(ARRAY(SELECT value::bigint FROM jsonb_each_text(late))) ORDER BY id FOR NO KEY UPDATE;
        END IF;
        refs := refs || late;

        -- 3. Exemplars and their bucket keys (sorted).
        INSERT INTO campaign_exemplars (campaign_id, report_key, judge, signature, exact, url_domains, subject_stem)
        SELECT CASE WHEN refs ? x.campaign THEN (refs->>x.campaign)::bigint ELSE x.campaign::bigint END,
               x.report_key, x.judge, decode(x.signature, 'hex'), x.exact, ARRAY(SELECT jsonb_array_elements_text(coalesce(x.domains, '[]'))), x.stem
          FROM jsonb_to_recordset(coalesce(p->'exemplars', '[]')) AS x(campaign text, report_key text, judge text, signature text, exact text, domains jsonb, stem text);
        INSERT INTO campaign_keys (key, campaign_id)
        SELECT k, cid FROM (
          SELECT x.key::bigint AS k, CASE WHEN refs ? x.campaign THEN (refs->>x.campaign)::bigint ELSE x.campaign::bigint END AS cid
            FROM jsonb_to_recordset(coalesce(p->'keys', '[]')) AS x(key text, campaign text)) s
         ORDER BY k, cid ON CONFLICT DO NOTHING;

        -- 4. The reports: only rows this transaction inserted, and only once (campaign_id IS NULL).
        WITH v AS (
               SELECT x.submission_id, x.idx, CASE WHEN refs ? x.campaign THEN (refs->>x.campaign)::bigint ELSE x.campaign::bigint END AS cid
                 FROM jsonb_to_recordset(coalesce(p->'assign', '[]')) AS x(submission_id uuid, idx int, campaign text)),
             u AS (
               -- The reporter is the submission's reporter identity (the trust model's, issue 11), else the report's reporter.
               UPDATE reports r SET campaign_id = v.cid FROM v JOIN submissions s ON s.id = v.submission_id
                WHERE r.submission_id = v.submission_id AND r.idx = v.idx AND r.campaign_id IS NULL
                  AND r.id = ANY (ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'inserted', '[]')))::uuid[])
               RETURNING r.id, r.submission_id::text || '/' || r.idx::text AS key, r.campaign_id, r.received_at, coalesce(s.reporter_identity, r.reporter) AS reporter,
                         r.reporter_trust::text AS reporter_trust, r.relay_ip, r.originating_ip, r.tenant_id::text AS tenant_id)
        SELECT array_agg((u.id, u.key, u.campaign_id, u.received_at, u.reporter, u.reporter_trust, u.relay_ip, u.originating_ip, u.tenant_id)::campaign_assigned)
          INTO arows FROM u;

        IF arows IS NOT NULL THEN
          -- 5. Distinct reporters (inserted rows only count) and the counters, in one statement.
          WITH ins AS (
                 INSERT INTO campaign_reporters (campaign_id, trust, reporter)
                 SELECT DISTINCT a.campaign_id, a.reporter_trust, campaign_reporter_digest(a.reporter) FROM unnest(arows) a
                  WHERE a.reporter IS NOT NULL ORDER BY 1, 2, 3
                 ON CONFLICT DO NOTHING RETURNING campaign_reporters.campaign_id, campaign_reporters.trust),
               rc AS (
                 SELECT ins.campaign_id, count(*) FILTER (WHERE ins.trust = 'anonymous') AS ra, count(*) FILTER (WHERE ins.trust = 'verified') AS rv,
                        count(*) FILTER (WHERE ins.trust = 'platform') AS rp, count(*) FILTER (WHERE ins.trust = 'feed') AS rf
                   FROM ins GROUP BY ins.campaign_id),
               agg AS (
                 SELECT a.campaign_id, count(*)::int AS n, min(a.received_at) AS first, max(a.received_at) AS last FROM unnest(arows) a GROUP BY a.campaign_id),
               upd AS (
                 UPDATE campaigns cc SET reports = cc.reports + agg.n,
                        reporters_anonymous = cc.reporters_anonymous + coalesce(rc.ra, 0), reporters_verified = cc.reporters_verified + coalesce(rc.rv, 0),
                        reporters_platform = cc.reporters_platform + coalesce(rc.rp, 0), reporters_feed = cc.reporters_feed + coalesce(rc.rf, 0),
                        first_seen = least(cc.first_seen, agg.first), last_seen = greatest(cc.last_seen, agg.last)
                   FROM agg LEFT JOIN rc ON rc.campaign_id = agg.campaign_id
                  WHERE cc.id = agg.campaign_id
                 RETURNING cc.id, cc.reports, cc.alerted_at IS NOT NULL AS alerted, agg.last)
          SELECT jsonb_agg(to_jsonb(upd)) INTO touched FROM upd;

          -- 6. Facets (IPs, tenants, URL domains of the features) and hourly counts.
          INSERT INTO campaign_facets (campaign_id, kind, value, reports, last_seen)
          SELECT f.campaign_id, f.kind, f.value, count(*), max(f.at) FROM (
              SELECT a.campaign_id, v.kind, v.value, a.received_at AS at FROM unnest(arows) a
               CROSS JOIN LATERAL (VALUES ('relay_ip', host(a.relay_ip)), ('orig_ip', host(a.originating_ip)), ('tenant', a.tenant_id)) AS v(kind, value)
               WHERE v.value IS NOT NULL
              UNION ALL
              SELECT a.campaign_id, 'url_domain', d.value, a.received_at FROM unnest(arows) a
                JOIN jsonb_to_recordset(coalesce(p->'assign', '[]')) AS x(submission_id uuid, idx int, domains jsonb) ON a.key = x.submission_id::text || '/' || x.idx::text
               CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(x.domains, '[]')) AS d(value)) f
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (campaign_id, kind, value) DO UPDATE
            SET reports = campaign_facets.reports + EXCLUDED.reports, last_seen = greatest(campaign_facets.last_seen, EXCLUDED.last_seen);
          INSERT INTO campaign_hourly (campaign_id, hour, n)
          SELECT a.campaign_id, date_trunc('hour', a.received_at, 'UTC'), count(*) FROM unnest(arows) a GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (campaign_id, hour) DO UPDATE SET n = campaign_hourly.n + EXCLUDED.n;

          -- 7. campaign.detected: threshold reports within the hour up to the campaign's latest report, once.
          WITH due AS (
                 SELECT (t->>'id')::bigint AS id, (t->>'last')::timestamptz AS latest FROM jsonb_array_elements(coalesce(touched, '[]')) t
                  WHERE NOT (t->>'alerted')::boolean AND (t->>'reports')::int >= threshold),
               hits AS (
                 SELECT due.id, w.n FROM due CROSS JOIN LATERAL (
                   SELECT count(*)::int AS n FROM (SELECT 1 FROM reports r WHERE r.campaign_id = due.id
                      AND r.received_at > due.latest - interval '1 hour' AND r.received_at <= due.latest LIMIT threshold) x) w
                  WHERE w.n >= threshold),
               ev AS (
                 INSERT INTO campaign_events (campaign_id, type, payload)
                 SELECT hits.id, 'campaign.detected', jsonb_build_object('campaignId', hits.id::text, 'reportsLastHour', hits.n, 'threshold', threshold,
                        'firstSeen', cm.first_seen, 'subject', cm.subject)
                   FROM hits JOIN campaigns cm ON cm.id = hits.id ORDER BY hits.id
                 ON CONFLICT (campaign_id, type) DO NOTHING RETURNING campaign_events.campaign_id),
               al AS (UPDATE campaigns SET alerted_at = now() WHERE id IN (SELECT ev.campaign_id FROM ev) RETURNING campaigns.id)
          SELECT array_agg(al.id) INTO detected FROM al;
        END IF;

        -- 8. Reports per hour and URL domain, sharded by backend (no hot row between concurrent commits).
        INSERT INTO url_domain_hourly (hour, domain, shard, n)
        SELECT x.hour, x.domain, pg_backend_pid() % 16, x.n FROM jsonb_to_recordset(coalesce(p->'url_domains', '[]')) AS x(hour timestamptz, domain text, n int)
         ORDER BY 1, 2
        ON CONFLICT (hour, domain, shard) DO UPDATE SET n = url_domain_hourly.n + EXCLUDED.n;
        IF coalesce((p->>'count_assigned_domains')::boolean, false) AND arows IS NOT NULL THEN
          INSERT INTO url_domain_hourly (hour, domain, shard, n)
          SELECT date_trunc('hour', a.received_at, 'UTC'), d.value, pg_backend_pid() % 16, count(*) FROM unnest(arows) a
            JOIN jsonb_to_recordset(coalesce(p->'assign', '[]')) AS x(submission_id uuid, idx int, domains jsonb) ON a.key = x.submission_id::text || '/' || x.idx::text
           CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(x.domains, '[]')) AS d(value)
           GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (hour, domain, shard) DO UPDATE SET n = url_domain_hourly.n + EXCLUDED.n;
        END IF;

        RETURN jsonb_build_object(
          'assigned', (SELECT coalesce(jsonb_agg(jsonb_build_array(a.id, a.campaign_id::text)), '[]'::jsonb) FROM unnest(arows) a),
          'created', refs,
          'detected', to_jsonb(coalesce(detected, '{}'::bigint[])));
      END $$`);

    // A report's trust can change after intake (confirmation, an analyst): its campaigns' distinct
    // reporters per trust level are recounted from their reports (the trust-change job calls this).
    await q.query(`
      CREATE FUNCTION campaign_recount_reporters(ids bigint[]) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM 1 FROM campaigns WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
        DELETE FROM campaign_reporters WHERE campaign_id = ANY(ids);
        INSERT INTO campaign_reporters (campaign_id, trust, reporter)
        SELECT DISTINCT r.campaign_id, r.reporter_trust, campaign_reporter_digest(coalesce(s.reporter_identity, r.reporter))
          FROM reports r JOIN submissions s ON s.id = r.submission_id
         WHERE r.campaign_id = ANY(ids) AND coalesce(s.reporter_identity, r.reporter) IS NOT NULL
         ORDER BY 1, 2, 3;
        UPDATE campaigns c SET
          reporters_anonymous = (SELECT count(*) FROM campaign_reporters x WHERE x.campaign_id = c.id AND x.trust = 'anonymous'),
          reporters_verified = (SELECT count(*) FROM campaign_reporters x WHERE x.campaign_id = c.id AND x.trust = 'verified'),
          reporters_platform = (SELECT count(*) FROM campaign_reporters x WHERE x.campaign_id = c.id AND x.trust = 'platform'),
          reporters_feed = (SELECT count(*) FROM campaign_reporters x WHERE x.campaign_id = c.id AND x.trust = 'feed')
         WHERE c.id = ANY(ids);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION campaign_recount_reporters(bigint[])`);
    await q.query(`DROP FUNCTION campaign_commit(jsonb)`);
    await q.query(`DROP TYPE campaign_assigned`);
    await q.query(`DROP FUNCTION campaign_candidates(bigint[], int, boolean)`);
    await q.query(`DROP FUNCTION campaign_reporter_digest(text)`);
  }
}

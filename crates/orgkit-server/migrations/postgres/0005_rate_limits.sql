-- Rate-limit counters shared by every instance on this database (`src/rate_limit/postgres.rs`):
-- one row per key (an account, a client address, an address mailed) holding the count of the
-- current one-minute window. SQLite keeps them in memory instead (one instance by design).

CREATE TABLE rate_limits (
    key    TEXT PRIMARY KEY,
    -- The Unix minute (milliseconds / 60000) the count is for.
    minute BIGINT NOT NULL,
    count  BIGINT NOT NULL
);
-- The sweep deletes past minutes.
CREATE INDEX rate_limits_minute ON rate_limits(minute);

-- Counts one attempt against several limits, all or nothing, in one call: `attempt` is a JSON
-- array of {"key", "cost", "lim"}, `now_minute` the caller's minute. Answers true when every
-- key stays within its limit (the attempt is counted), false when one would pass it (nothing
-- is counted). A row from an older minute starts again at zero; a row from a later minute (an
-- instance whose clock runs ahead) is counted as the current one.
CREATE FUNCTION orgkit_rate_limit(attempt TEXT, now_minute BIGINT) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    refused BOOLEAN;
BEGIN
    -- Count each key, creating or locking its row, in key order: concurrent attempts on the
    -- same keys queue behind one another and never deadlock. The rows stay locked until the
    -- call ends, so no other attempt sees a count this call takes back.
    INSERT INTO rate_limits AS r (key, minute, count)
    SELECT a.key, now_minute, SUM(a.cost)
    FROM json_to_recordset(attempt::json) AS a(key TEXT, cost BIGINT)
    GROUP BY a.key
    ORDER BY a.key
    ON CONFLICT (key) DO UPDATE SET
        minute = GREATEST(r.minute, EXCLUDED.minute),
        count = CASE WHEN r.minute < EXCLUDED.minute THEN EXCLUDED.count
                     ELSE r.count + EXCLUDED.count END;

    SELECT bool_or(r.count > a.lim) INTO refused
    FROM json_to_recordset(attempt::json) AS a(key TEXT, lim BIGINT)
    JOIN rate_limits r ON r.key = a.key;
    IF refused IS NOT TRUE THEN
        RETURN true;
    END IF;

    -- Over a limit: take the whole attempt back.
    UPDATE rate_limits r SET count = r.count - a.cost
    FROM (
        SELECT x.key, SUM(x.cost) AS cost
        FROM json_to_recordset(attempt::json) AS x(key TEXT, cost BIGINT)
        GROUP BY x.key
    ) a
    WHERE r.key = a.key;
    RETURN false;
END
$$;

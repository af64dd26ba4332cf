-- Nothing on SQLite: one instance by design, so the rate-limit counters stay in memory
-- (`src/rate_limit/memory.rs`). PostgreSQL keeps them in its `rate_limits` table, shared by
-- every instance. This file keeps the two migration lists numbered alike.
SELECT 1;

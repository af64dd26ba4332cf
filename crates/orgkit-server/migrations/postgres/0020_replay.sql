-- One round trip per organization write (see src/db/replay.rs): runs a write body's recorded
-- reads again, in order and inside this statement's transaction (the first one locks the
-- organization's row), and applies its recorded writes only if every read returns the rows
-- the body decided on. Answers -1 when applied, else the index of the first read that changed
-- (nothing written). Each statement is `{"sql", "args"}`; its `$1` is the `args` array.
CREATE FUNCTION orgkit_replay(reads jsonb, writes jsonb) RETURNS integer
LANGUAGE plpgsql AS $replay$
DECLARE
  step jsonb;
  got jsonb;
  i integer := 0;
BEGIN
  FOR step IN SELECT value FROM jsonb_array_elements(reads) LOOP
    EXECUTE 'SELECT coalesce(jsonb_agg(t), ''[]''::jsonb) FROM (' || (step->>'sql') || ') t'
      INTO got USING step->'args';
    IF got IS DISTINCT FROM step->'rows' THEN
      RETURN i;
    END IF;
    i := i + 1;
  END LOOP;
  FOR step IN SELECT value FROM jsonb_array_elements(writes) LOOP
    EXECUTE step->>'sql' USING step->'args';
  END LOOP;
  RETURN -1;
END
$replay$;

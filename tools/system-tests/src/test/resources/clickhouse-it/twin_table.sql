-- A twin of pulse.${TABLE} for the sink's round-trip test: the same columns (ALIAS ones too),
-- kept in memory so that no key collapses the test's rows. Created per test as pulse.${TWIN}.
DROP TABLE IF EXISTS pulse.${TWIN};
CREATE TABLE pulse.${TWIN} AS pulse.${TABLE} ENGINE = Memory;

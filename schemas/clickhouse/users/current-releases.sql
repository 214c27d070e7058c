-- Accounts of the pipeline, for ClickHouse 22 and later only (18.16 has no SQL user management:
-- there the accounts live in users.xml). The migrator replaces the placeholders and runs each
-- statement. Idempotent: IF NOT EXISTS, then ALTER USER so that a changed password or profile
-- takes effect on the next run. The accounts must be SQL-managed (not defined in users.d XML).

-- Read-only profile of the dashboards' account: readonly = 2 allows reads and changing query
-- settings (Grafana's ClickHouse plugin sets some), but no writes and no DDL.
CREATE SETTINGS PROFILE IF NOT EXISTS pulse_readonly SETTINGS readonly = 2 READONLY;

-- The jobs' account: insert into and read pulse, insert into pulse_restricted.
CREATE USER IF NOT EXISTS `${PULSE_CH_WRITER_USER}` IDENTIFIED WITH sha256_password BY '${PULSE_CH_WRITER_PASSWORD}';

ALTER USER `${PULSE_CH_WRITER_USER}` IDENTIFIED WITH sha256_password BY '${PULSE_CH_WRITER_PASSWORD}';

GRANT INSERT, SELECT ON pulse.* TO `${PULSE_CH_WRITER_USER}`;

-- The dead letters' original bytes (V008): the jobs insert them, but never read them back.
GRANT INSERT ON pulse_restricted.* TO `${PULSE_CH_WRITER_USER}`;

-- The dashboards' account: read pulse only, under the read-only profile; nothing in
-- pulse_restricted (only the admin account reads the dead letters as received).
CREATE USER IF NOT EXISTS `${PULSE_CH_READER_USER}` IDENTIFIED WITH sha256_password BY '${PULSE_CH_READER_PASSWORD}' SETTINGS PROFILE 'pulse_readonly';

ALTER USER `${PULSE_CH_READER_USER}` IDENTIFIED WITH sha256_password BY '${PULSE_CH_READER_PASSWORD}' SETTINGS PROFILE 'pulse_readonly';

GRANT SELECT ON pulse.* TO `${PULSE_CH_READER_USER}`;

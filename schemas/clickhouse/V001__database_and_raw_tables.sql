-- V001: database, migration bookkeeping, raw (de-duplicated) events, reference data, late events and dead letters.
--
-- Portable DDL: runs unchanged on ClickHouse 18.16 and on current releases (24.x/25.x).
-- Rules for every migration in this folder:
--   * idempotent (IF NOT EXISTS), every table fully qualified as pulse.<table>
--   * statements end with a semicolon at the end of a line, and nowhere else at a line end
--   * no TTL, DateTime64, codecs, LowCardinality, Map, skip indexes, Nullable in ORDER BY
--   * timestamps are DateTime('Asia/Shanghai') (seconds), an extra *_epoch_ms column keeps millis where it matters
--   * money is Int64 fen (exact)
--   * Enum8 columns mirror schemas/avro/common/*.avsc: 'UNKNOWN' = 0, then the Avro symbols in order.
--     A new Avro symbol needs a new migration (ALTER TABLE ... MODIFY COLUMN) before writers emit it.
--   * ReplacingMergeTree tables are read with FINAL (or argMax): a replayed row replaces, never adds.
--     Replacement only happens inside one partition, so a table is partitioned only by a time
--     column that cannot change for a given key.
--   * learner and payer ids are stored only as keyed hashes (learner_hash, payer_hash).
-- Applied migrations are immutable (the migrator checks a SHA-256): change the schema in a new file.

CREATE DATABASE IF NOT EXISTS pulse;

-- Applied migrations, one row per V<n> file (written by the migrator). Key: version.
CREATE TABLE IF NOT EXISTS pulse.schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
)
ENGINE = MergeTree
ORDER BY version;

-- Raw learning events after de-duplication by event_id (topic learning.activity.v1). Key: event_id, version ingested_version.
-- The learner appears only as learner_hash (keyed hash of learner_id), never as the raw id.
-- Optional Avro fields are Nullable (null = absent). is_online is derived from channel.
CREATE TABLE IF NOT EXISTS pulse.learning_events
(
    event_id             String,
    occurred_at          DateTime('Asia/Shanghai'),
    occurred_at_epoch_ms UInt64,
    learner_hash         String,
    district             Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    age_band             Enum8('UNKNOWN' = 0, 'UNDER_18' = 1, 'AGE_18_34' = 2, 'AGE_35_59' = 3, 'AGE_60_69' = 4, 'AGE_70_PLUS' = 5),
    channel              Enum8('UNKNOWN' = 0, 'WEB' = 1, 'MOBILE_APP' = 2, 'MINI_PROGRAM' = 3, 'LIVE_STREAM' = 4, 'ONSITE' = 5),
    is_online            UInt8 ALIAS channel IN ('WEB', 'MOBILE_APP', 'MINI_PROGRAM', 'LIVE_STREAM'),
    activity_type        Enum8('UNKNOWN' = 0, 'COURSE_ENROLL' = 1, 'LESSON_ATTEND' = 2, 'LIVE_CLASS_VIEW' = 3, 'MOOC_PROGRESS' = 4, 'MOOC_COMPLETE' = 5, 'EXPERIENCE_VISIT' = 6, 'WALK_CHECKIN' = 7, 'EVENT_JOIN' = 8, 'TEAM_ACTIVITY' = 9, 'CREDIT_DEPOSIT' = 10),
    resource_id          String,
    route_id             Nullable(String),
    provider_id          Nullable(String),
    campaign             Nullable(String),
    duration_seconds     Nullable(Int32),
    credit_points        Nullable(Int32),
    ingested_version     UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY event_id;

-- Raw prepaid-fee transactions after de-duplication by txn_id (topic fund.transactions.v1). Key: txn_id, version ingested_version.
-- The payer appears only as payer_hash (keyed hash of payer_id, null when absent). Optional Avro fields are Nullable.
CREATE TABLE IF NOT EXISTS pulse.fund_transactions
(
    txn_id               String,
    occurred_at          DateTime('Asia/Shanghai'),
    occurred_at_epoch_ms UInt64,
    institution_id       String,
    type                 Enum8('UNKNOWN' = 0, 'CARD_SALE' = 1, 'TOP_UP' = 2, 'CONSUMPTION' = 3, 'REFUND_REQUEST' = 4, 'REFUND_PAID' = 5, 'ESCROW_DEPOSIT' = 6, 'ESCROW_RELEASE' = 7),
    amount_fen           Int64,
    card_id              Nullable(String),
    payer_hash           Nullable(String),
    card_kind            Nullable(Enum8('UNKNOWN' = 0, 'REGISTERED' = 1, 'ANONYMOUS' = 2)),
    class_hours          Nullable(Int32),
    covered_days         Nullable(Int32),
    settlement           Nullable(Enum8('UNKNOWN' = 0, 'SUPERVISED_ACCOUNT' = 1, 'THIRD_PARTY_ESCROW' = 2, 'INSTITUTION_ACCOUNT' = 3, 'CASH' = 4)),
    refund_request_id    Nullable(String),
    ingested_version     UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY txn_id;

-- Training institutions, reference data (compacted topic fund.institutions.v1). Key: institution_id, version = updated_at in epoch millis.
-- Not partitioned: updated_at changes between versions of one institution.
CREATE TABLE IF NOT EXISTS pulse.institutions
(
    institution_id    String,
    name              String,
    district          Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    category          String,
    license_status    Enum8('UNKNOWN' = 0, 'ACTIVE' = 1, 'SUSPENDED' = 2, 'REVOKED' = 3, 'CLOSED' = 4),
    closure_notice_at Nullable(DateTime('Asia/Shanghai')),
    bond_insured      Nullable(UInt8),
    updated_at        DateTime('Asia/Shanghai'),
    version           UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY institution_id;

-- Humanities-walk routes, reference data (compacted topic learning.routes.v1). Key: route_id, version = updated_at in epoch millis.
CREATE TABLE IF NOT EXISTS pulse.walk_routes
(
    route_id   String,
    name       String,
    district   Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    point_ids  Array(String),
    updated_at DateTime('Asia/Shanghai'),
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY route_id;

-- Events that arrived after the allowed lateness, so they missed their windows. Key: (job, source_topic, event_id), version ingested_version.
-- event_id holds the event_id of a learning event or the txn_id of a transaction. The event itself is in the raw
-- tables (join on event_id / txn_id). lateness_ms = watermark at arrival - event time, exact to the milli.
CREATE TABLE IF NOT EXISTS pulse.late_events
(
    job                  String,
    source_topic         String,
    event_id             String,
    event_time           DateTime('Asia/Shanghai'),
    event_time_epoch_ms  UInt64,
    watermark_at         DateTime('Asia/Shanghai'),
    lateness_ms          UInt64,
    arrived_at           DateTime('Asia/Shanghai'),
    ingested_version     UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
PARTITION BY toYYYYMM(event_time)
ORDER BY (job, source_topic, event_id);

-- Records that could not be decoded, validated or written. Key: (source_topic, source_partition, source_offset, stage, cityHash64(raw)), version ingested_version.
-- source_partition / source_offset are -1 when the record did not come from Kafka (e.g. stage sink),
-- so the hash of raw keeps distinct records with the same -1 position apart, while a replay of the
-- same record replaces its row. raw holds the bytes as received (a String holds any bytes) or their
-- base64 form, as raw_encoding says. Not partitioned: failed_at is wall-clock time and changes on replay.
CREATE TABLE IF NOT EXISTS pulse.dead_letters
(
    source_topic     String,
    source_partition Int32,
    source_offset    Int64,
    stage            String,
    reason           String,
    raw              String,
    raw_encoding     Enum8('UNKNOWN' = 0, 'BYTES' = 1, 'BASE64' = 2),
    failed_at        DateTime('Asia/Shanghai'),
    job              String,
    ingested_version UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
ORDER BY (source_topic, source_partition, source_offset, stage, cityHash64(raw));

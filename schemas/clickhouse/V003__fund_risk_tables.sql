-- V003: results of the fund-risk job.
--
-- ReplacingMergeTree(version) with a deterministic ORDER BY key, read with FINAL: a re-fired or
-- replayed row with a version at least as high replaces the earlier one.
-- Money is Int64 fen. Ledger (DESIGN.md): collected = sales + top-ups, delivered = consumption,
-- refunded = refunds paid, refund_pending = requested and not yet paid,
-- liability = collected - delivered - refunded (may be negative), escrow = supervised or escrowed
-- sales and top-ups + escrow deposits - escrow releases, released = escrow releases,
-- coverage = escrow / liability (the job defines the value when liability <= 0, e.g. inf).
-- sales_outside_supervision_fen = sales and top-ups settled to INSTITUTION_ACCOUNT or CASH.
-- district is the institution's district from reference data ('UNKNOWN' until it is known).

-- Latest ledger per institution. Key: institution_id, version version.
-- Not partitioned: last_event_at moves with every update of the same key.
CREATE TABLE IF NOT EXISTS pulse.institution_ledger
(
    institution_id                String,
    district                      Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    collected_fen                 Int64,
    delivered_fen                 Int64,
    refunded_fen                  Int64,
    refund_pending_fen            Int64,
    escrow_fen                    Int64,
    released_fen                  Int64,
    liability_fen                 Int64,
    coverage                      Float64,
    sales_outside_supervision_fen Int64,
    last_event_at                 DateTime('Asia/Shanghai'),
    version                       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY institution_id;

-- Ledger history: the ledger of each institution as of the end of each minute it changed in. Key: (institution_id, minute), version version.
CREATE TABLE IF NOT EXISTS pulse.institution_ledger_minute
(
    institution_id                String,
    minute                        DateTime('Asia/Shanghai'),
    district                      Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    collected_fen                 Int64,
    delivered_fen                 Int64,
    refunded_fen                  Int64,
    refund_pending_fen            Int64,
    escrow_fen                    Int64,
    released_fen                  Int64,
    liability_fen                 Int64,
    coverage                      Float64,
    sales_outside_supervision_fen Int64,
    last_event_at                 DateTime('Asia/Shanghai'),
    version                       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (institution_id, minute);

-- Risk alerts, one row per (rule, institution, episode), fields of schemas/avro/RiskAlert.avsc plus district. Key: alert_id, version version.
-- shadow = 1 for alerts of SHADOW rules (stored, not published). Not partitioned: the times of an alert move as it is updated.
CREATE TABLE IF NOT EXISTS pulse.risk_alerts
(
    alert_id          String,
    institution_id    String,
    district          Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    rule_id           String,
    rule_version      Int32,
    severity          Enum8('UNKNOWN' = 0, 'YELLOW' = 1, 'RED' = 2),
    status            Enum8('UNKNOWN' = 0, 'OPEN' = 1, 'UPDATED' = 2, 'RESOLVED' = 3),
    first_detected_at DateTime('Asia/Shanghai'),
    last_detected_at  DateTime('Asia/Shanghai'),
    window_start      DateTime('Asia/Shanghai'),
    window_end        DateTime('Asia/Shanghai'),
    observed          Float64,
    threshold         Float64,
    evidence          String,
    citation          String,
    version           UInt64,
    shadow            UInt8
)
ENGINE = ReplacingMergeTree(version)
ORDER BY alert_id;

-- Risk score per institution with its open and red alert counts. Key: institution_id, version version.
CREATE TABLE IF NOT EXISTS pulse.institution_risk
(
    institution_id String,
    district       Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    score          Float64,
    open_alerts    UInt32,
    red_alerts     UInt32,
    updated_at     DateTime('Asia/Shanghai'),
    version        UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY institution_id;

-- V006: the history of every alert and the supervisors' case handling. Same portability rules as
-- V001 (ClickHouse 18.16 and current releases).

-- Every version of every alert, as the fund-risk job emitted it (risk_alerts keeps only the latest
-- of each alert id). Columns as risk_alerts. Key: (alert_id, version): a version re-sent after a
-- restart is the same row. Not partitioned: an alert's versions stay together.
CREATE TABLE IF NOT EXISTS pulse.alert_versions
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
ORDER BY (alert_id, version);

-- Supervisors' actions on alerts (schemas/avro/AlertAction.avsc), from fund.alert-actions.v1 through
-- the fund-risk job. actor is who acted; text the note or the reason; alert_version the version the
-- supervisor saw. Key: action_id (one row per action, a re-sent action is the same row).
CREATE TABLE IF NOT EXISTS pulse.alert_actions
(
    action_id      String,
    alert_id       String,
    institution_id String,
    rule_id        String,
    action         Enum8('UNKNOWN' = 0, 'ACK' = 1, 'ASSIGN' = 2, 'NOTE' = 3, 'CLOSE' = 4),
    actor          String,
    assignee       String,
    text           String,
    acted_at       DateTime('Asia/Shanghai'),
    alert_version  UInt64
)
ENGINE = ReplacingMergeTree(alert_version)
ORDER BY action_id;

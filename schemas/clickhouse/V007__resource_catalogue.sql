-- V007: the resource catalogue (schemas/avro/LearningResource.avsc, topic learning.resources.v1) and
-- resource rows that carry the resource's kind and the activity's district. Same portability rules
-- as V001 (ClickHouse 18.16 and current releases).

-- The catalogue as broadcast to the participation job, so that dashboards can name resources.
-- Key: resource_id, version version (= updated_at in epoch millis: a later entry replaces).
-- district is 'UNKNOWN' for a city-wide or online resource (null in the contract), provider '' when none.
CREATE TABLE IF NOT EXISTS pulse.resources
(
    resource_id String,
    kind        Enum8('UNKNOWN' = 0, 'COURSE' = 1, 'MOOC' = 2, 'LIVE_CLASS' = 3, 'VENUE' = 4, 'WALK_POINT' = 5, 'EVENT' = 6, 'TEAM' = 7, 'CREDIT_BANK' = 8),
    name        String,
    district    Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    provider    String,
    updated_at  DateTime('Asia/Shanghai'),
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY resource_id;

-- resource_minute gains the activity's district as a key column and the resource's kind as a
-- non-key column. A sorting key cannot gain a column in place on 18.16, so the table is replaced:
-- its rows from before V007 have no district; a replay of learning.activity.v1 rebuilds them.
DROP TABLE IF EXISTS pulse.resource_minute;

-- Activity per resource (course, class, MOOC, venue, walk point, event, team) per minute and district.
-- Key: (minute, resource_id, district, activity_type, provider_id), version version.
-- district is the district of the activity (where the learner took part), so "top courses in X" ranks
-- the activity in X. provider_id is '' when the event has none.
-- kind is the catalogue's kind of the resource when the row was written: 'UNKNOWN' while the catalogue
-- does not list it; when the entry arrives the job re-emits the row with the kind and a higher version
-- (version = 2 x visits, + 1 once the kind is known), so FINAL shows the kind.
CREATE TABLE IF NOT EXISTS pulse.resource_minute
(
    minute           DateTime('Asia/Shanghai'),
    resource_id      String,
    district         Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    activity_type    Enum8('UNKNOWN' = 0, 'COURSE_ENROLL' = 1, 'LESSON_ATTEND' = 2, 'LIVE_CLASS_VIEW' = 3, 'MOOC_PROGRESS' = 4, 'MOOC_COMPLETE' = 5, 'EXPERIENCE_VISIT' = 6, 'WALK_CHECKIN' = 7, 'EVENT_JOIN' = 8, 'TEAM_ACTIVITY' = 9, 'CREDIT_DEPOSIT' = 10),
    provider_id      String,
    kind             Enum8('UNKNOWN' = 0, 'COURSE' = 1, 'MOOC' = 2, 'LIVE_CLASS' = 3, 'VENUE' = 4, 'WALK_POINT' = 5, 'EVENT' = 6, 'TEAM' = 7, 'CREDIT_BANK' = 8),
    visits           UInt64,
    unique_learners  UInt64,
    learning_seconds UInt64,
    version          UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, resource_id, district, activity_type, provider_id);

-- V002: results of the participation job.
--
-- Every table is ReplacingMergeTree(version) with a deterministic ORDER BY key: a window fired again
-- (allowed lateness) or replayed after a restart writes the same key with a version at least as high,
-- and replaces the earlier row. Read with FINAL. version must grow with every re-emission of a key
-- (e.g. the emission's epoch millis, or an update counter kept in state).
-- minute is the start of the event-time minute in Asia/Shanghai.

-- Participation per minute x district x activity type x channel x age band. Key: (minute, district, activity_type, channel, age_band), version version.
-- participant_visits counts de-duplicated events, unique_learners distinct learner hashes in the cell and minute.
-- is_online is derived from channel (ONSITE and UNKNOWN are not online).
CREATE TABLE IF NOT EXISTS pulse.participation_minute
(
    minute             DateTime('Asia/Shanghai'),
    district           Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    activity_type      Enum8('UNKNOWN' = 0, 'COURSE_ENROLL' = 1, 'LESSON_ATTEND' = 2, 'LIVE_CLASS_VIEW' = 3, 'MOOC_PROGRESS' = 4, 'MOOC_COMPLETE' = 5, 'EXPERIENCE_VISIT' = 6, 'WALK_CHECKIN' = 7, 'EVENT_JOIN' = 8, 'TEAM_ACTIVITY' = 9, 'CREDIT_DEPOSIT' = 10),
    channel            Enum8('UNKNOWN' = 0, 'WEB' = 1, 'MOBILE_APP' = 2, 'MINI_PROGRAM' = 3, 'LIVE_STREAM' = 4, 'ONSITE' = 5),
    age_band           Enum8('UNKNOWN' = 0, 'UNDER_18' = 1, 'AGE_18_34' = 2, 'AGE_35_59' = 3, 'AGE_60_69' = 4, 'AGE_70_PLUS' = 5),
    is_online          UInt8 ALIAS channel IN ('WEB', 'MOBILE_APP', 'MINI_PROGRAM', 'LIVE_STREAM'),
    participant_visits UInt64,
    unique_learners    UInt64,
    learning_seconds   UInt64,
    credit_points      UInt64,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, district, activity_type, channel, age_band);

-- Activity per resource (course, class, MOOC, venue, walk point, event) per minute. Key: (minute, resource_id, activity_type, provider_id), version version.
-- provider_id is '' when the event has none, and is part of the key: the job groups by it too.
CREATE TABLE IF NOT EXISTS pulse.resource_minute
(
    minute           DateTime('Asia/Shanghai'),
    resource_id      String,
    activity_type    Enum8('UNKNOWN' = 0, 'COURSE_ENROLL' = 1, 'LESSON_ATTEND' = 2, 'LIVE_CLASS_VIEW' = 3, 'MOOC_PROGRESS' = 4, 'MOOC_COMPLETE' = 5, 'EXPERIENCE_VISIT' = 6, 'WALK_CHECKIN' = 7, 'EVENT_JOIN' = 8, 'TEAM_ACTIVITY' = 9, 'CREDIT_DEPOSIT' = 10),
    provider_id      String,
    visits           UInt64,
    unique_learners  UInt64,
    learning_seconds UInt64,
    version          UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, resource_id, activity_type, provider_id);

-- Campaign running totals at the end of each minute with activity. Key: (campaign, scope, minute), version version.
-- scope is 'ALL' for the whole campaign, otherwise the district name ('PUDONG', ... or 'UNKNOWN').
-- distinct_participants: distinct learners since the campaign started, up to the end of the minute.
-- new_participants: learners first seen in this minute. returning_participants: learners active in
-- this minute who had been seen before. visits: de-duplicated events in this minute.
CREATE TABLE IF NOT EXISTS pulse.campaign_totals_minute
(
    campaign               String,
    scope                  String,
    minute                 DateTime('Asia/Shanghai'),
    distinct_participants  UInt64,
    new_participants       UInt64,
    returning_participants UInt64,
    visits                 UInt64,
    version                UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (campaign, scope, minute);

-- Humanities-walk route completions: a learner checked in at every point of a route. Key: (route_id, learner_hash), version version.
-- points is the number of points checked in, district the route's district. Not partitioned: a late check-in can move completed_at.
CREATE TABLE IF NOT EXISTS pulse.route_completions
(
    route_id     String,
    learner_hash String,
    district     Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4, 'PUTUO' = 5, 'HONGKOU' = 6, 'YANGPU' = 7, 'MINHANG' = 8, 'BAOSHAN' = 9, 'JIADING' = 10, 'PUDONG' = 11, 'JINSHAN' = 12, 'SONGJIANG' = 13, 'QINGPU' = 14, 'FENGXIAN' = 15, 'CHONGMING' = 16),
    completed_at DateTime('Asia/Shanghai'),
    points       UInt16,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (route_id, learner_hash);

-- MOOC funnel per MOOC per minute: distinct learners who enrolled (COURSE_ENROLL), progressed (MOOC_PROGRESS)
-- and completed (MOOC_COMPLETE) in that minute. Key: (minute, resource_id), version version.
CREATE TABLE IF NOT EXISTS pulse.mooc_funnel_minute
(
    minute      DateTime('Asia/Shanghai'),
    resource_id String,
    enrolled    UInt64,
    progressed  UInt64,
    completed   UInt64,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, resource_id);

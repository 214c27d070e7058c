package org.lifelongpulse.participation.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One member (a learner hash) seen in one category (e.g. a funnel step) of one scope (a campaign
 * and district, a course), at an event time: the input of running distinct counts.
 */
@TypeInfo(ShuffleFormats.DistinctTokenInfo.class)
public record DistinctToken(DistinctScope scope, String category, String member, long eventTime) {}

package org.lifelongpulse.participation.records;

/**
 * Running totals of a campaign at the end of one minute ({@code campaign_totals_minute}). Scope is
 * {@code ALL} or a district. Distinct participants are exact since the campaign began; new and
 * returning count the learners active in that minute, new being those never active before.
 */
public record CampaignTotalsRow(
        String campaign,
        String scope,
        long minute,
        long distinctParticipants,
        long newParticipants,
        long returningParticipants,
        long visits,
        long version) {}

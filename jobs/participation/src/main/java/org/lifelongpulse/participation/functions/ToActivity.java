package org.lifelongpulse.participation.functions;

import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.RecordConverter;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.pseudonyms.LearnerPseudonym;

/** Contract record → job event, hashing the learner id before anything else sees it. */
public final class ToActivity implements RecordConverter<LearningActivity, Activity> {

    private static final long serialVersionUID = 1L;

    private final String secret;
    private transient LearnerPseudonym pseudonym;

    public ToActivity(String secret) {
        this.secret = secret;
    }

    @Override
    public void open() {
        pseudonym = new LearnerPseudonym(secret);
    }

    @Override
    public Activity convert(LearningActivity a, RawRecord raw) {
        return new Activity(
                a.getEventId(),
                a.getOccurredAt().toEpochMilli(),
                pseudonym.hash(a.getLearnerId()),
                a.getDistrict().name(),
                a.getAgeBand().name(),
                a.getChannel().name(),
                a.getActivityType().name(),
                a.getResourceId(),
                a.getRouteId(),
                a.getProviderId(),
                a.getCampaign(),
                a.getDurationSeconds(),
                a.getCreditPoints(),
                raw.topic,
                raw.partition,
                raw.offset);
    }
}

package org.lifelongpulse.contracts;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.ResourceKind;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.avro.WalkRoute;

/** One valid record of each contract, at named instants of the 2020 activity week. */
final class Samples {

    static final Instant WEEK_OPENS = Instant.parse("2020-11-01T01:00:00Z"); // 09:00 in Shanghai
    static final Instant FIRST_SALE = Instant.parse("2020-11-01T02:15:30Z");
    static final Instant NOW = Instant.parse("2020-11-08T00:00:00Z");

    private Samples() {}

    static LearningActivity activity() {
        return LearningActivity.newBuilder()
                .setEventId("evt-1")
                .setOccurredAt(WEEK_OPENS)
                .setLearnerId("learner-42")
                .setDistrict(District.XUHUI)
                .setAgeBand(AgeBand.AGE_60_69)
                .setChannel(Channel.LIVE_STREAM)
                .setActivityType(ActivityType.LIVE_CLASS_VIEW)
                .setResourceId("air-classroom-7")
                .setCampaign("activity-week-2020")
                .setDurationSeconds(1800)
                .build();
    }

    static PrepaidTransaction sale() {
        return PrepaidTransaction.newBuilder()
                .setTxnId("txn-1")
                .setOccurredAt(FIRST_SALE)
                .setInstitutionId("inst-7")
                .setType(TransactionType.CARD_SALE)
                .setAmountFen(300_000L)
                .setCardId("card-9")
                .setPayerId("payer-3")
                .setCardKind(CardKind.REGISTERED)
                .setClassHours(20)
                .setCoveredDays(60)
                .setSettlement(Settlement.SUPERVISED_ACCOUNT)
                .build();
    }

    static Institution institution() {
        return Institution.newBuilder()
                .setInstitutionId("inst-7")
                .setName("Xuhui Art School")
                .setDistrict(District.XUHUI)
                .setCategory("arts")
                .setLicenseStatus(LicenseStatus.ACTIVE)
                .setBondInsured(true)
                .setUpdatedAt(WEEK_OPENS)
                .build();
    }

    static WalkRoute route() {
        return WalkRoute.newBuilder()
                .setRouteId("route-3")
                .setName("Wukang Road")
                .setDistrict(District.XUHUI)
                .setPointIds(List.of("point-1", "point-2", "point-3"))
                .setUpdatedAt(WEEK_OPENS)
                .build();
    }

    static LearningResource resource() {
        return LearningResource.newBuilder()
                .setResourceId("MOOC-007")
                .setKind(ResourceKind.MOOC)
                .setName("Smartphones for seniors")
                .setDistrict(null)
                .setProvider("SOU")
                .setUpdatedAt(WEEK_OPENS)
                .build();
    }

    static RiskRule rule() {
        return RiskRule.newBuilder()
                .setRuleId("R2")
                .setVersion(3)
                .setEnabled(true)
                .setMode(RuleMode.ENFORCE)
                .setSeverity(Severity.RED)
                .setParams(Map.of("max_amount_yuan", 5000.0))
                .setDistrict(District.PUDONG)
                .build();
    }

    static RiskAlert alert() {
        return RiskAlert.newBuilder()
                .setAlertId("R2:inst-7:1")
                .setInstitutionId("inst-7")
                .setRuleId("R2")
                .setRuleVersion(3)
                .setSeverity(Severity.RED)
                .setStatus(AlertStatus.OPEN)
                .setFirstDetectedAt(FIRST_SALE)
                .setLastDetectedAt(FIRST_SALE)
                .setWindowStart(FIRST_SALE)
                .setWindowEnd(FIRST_SALE)
                .setObserved(6000.0)
                .setThreshold(5000.0)
                .setEvidence("one charge of 6,000.00 CNY exceeds 5,000 CNY")
                .setCitation("Beijing 2023 prepaid-fee measures")
                .setVersion(1L)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("learning.activity.v1")
                .setSourcePartition(1)
                .setSourceOffset(17L)
                .setStage("decode")
                .setReason("not Avro")
                .setRaw(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setFailedAt(NOW)
                .build();
    }
}

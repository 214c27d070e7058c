package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.FundRiskOptions;

/**
 * B0 for fund-risk on a hand-worked institution: registered-card sales within R1's span (10 hours,
 * 30 days), one of them 6,000 yuan, over R2's default 5,000-yuan limit for one charge.
 */
class FundRiskFloorTest {

    private static final long T0 = Instant.now().minusSeconds(3 * 86_400).toEpochMilli();
    private static final long HOUR = 3_600_000;

    private final WireFormat<PrepaidTransaction> wire = WireFormat.of(PrepaidTransaction.class);
    private final List<ConsumerRecord<byte[], byte[]>> partition = new ArrayList<>();

    @Test
    void itDecodesDropsResendsAndJudgesWithTheRules() {
        sale("t1", HOUR, 10_000); // 100 yuan
        sale("t2", 2 * HOUR, 600_000); // 6,000 yuan: R2 and R3
        sale("t1", HOUR, 10_000); // a resend
        partition.add(record("not avro".getBytes(StandardCharsets.UTF_8)));
        sale("t3", 3 * HOUR, 10_000); // moves event time past t2

        FundRiskFloor.Result r =
                FundRiskFloor.run(
                        partition,
                        List.of(institution()),
                        FundRiskOptions.defaults("a-secret-for-the-floor-test-0123456789"));

        assertThat(r.messages()).isEqualTo(5);
        assertThat(r.applied()).isEqualTo(3);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.deadLetters()).isEqualTo(1);
        assertThat(r.alertVersionsByRule()).isEqualTo(Map.of("R2", 1L, "R3", 1L));
        assertThat(r.alertVersions()).isEqualTo(2);
        // one wake-up per instant with transactions
        assertThat(r.wakeUps()).isGreaterThanOrEqualTo(3);
    }

    private static Institution institution() {
        return Institution.newBuilder()
                .setInstitutionId("INST-1")
                .setName("An ordinary school")
                .setDistrict(District.HUANGPU)
                .setCategory("LANGUAGE")
                .setLicenseStatus(LicenseStatus.ACTIVE)
                .setUpdatedAt(Instant.ofEpochMilli(T0 - 30 * 24 * HOUR))
                .build();
    }

    private void sale(String id, long after, long fen) {
        PrepaidTransaction txn =
                PrepaidTransaction.newBuilder()
                        .setTxnId(id)
                        .setOccurredAt(Instant.ofEpochMilli(T0 + after))
                        .setInstitutionId("INST-1")
                        .setType(TransactionType.CARD_SALE)
                        .setAmountFen(fen)
                        .setCardId(id + "-card")
                        .setPayerId(id + "-payer")
                        .setCardKind(CardKind.REGISTERED)
                        .setClassHours(10)
                        .setCoveredDays(30)
                        .setSettlement(Settlement.SUPERVISED_ACCOUNT)
                        .build();
        partition.add(record(wire.encode(txn)));
    }

    private ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("fund.transactions.v1", 0, partition.size(), null, value);
    }
}

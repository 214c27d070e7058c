package org.lifelongpulse.fundrisk.functions;

import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.RecordConverter;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.pseudonyms.LearnerPseudonym;

/**
 * Contract record → job event, hashing the payer and card ids before anything else sees them: no
 * table, alert or state holds either in clear (the card's balance for R3 is kept by its hash).
 */
public final class ToFundTransaction
        implements RecordConverter<PrepaidTransaction, FundTransaction> {

    private static final long serialVersionUID = 1L;

    private final String secret;
    private transient LearnerPseudonym pseudonym;

    public ToFundTransaction(String secret) {
        this.secret = secret;
    }

    @Override
    public void open() {
        pseudonym = new LearnerPseudonym(secret);
    }

    @Override
    public FundTransaction convert(PrepaidTransaction t, RawRecord raw) {
        return new FundTransaction(
                t.getTxnId(),
                t.getOccurredAt().toEpochMilli(),
                t.getInstitutionId(),
                t.getType().name(),
                t.getAmountFen(),
                t.getCardId() == null ? null : pseudonym.hash(t.getCardId()),
                t.getPayerId() == null ? null : pseudonym.hash(t.getPayerId()),
                t.getCardKind() == null ? null : t.getCardKind().name(),
                t.getClassHours(),
                t.getCoveredDays(),
                t.getSettlement() == null ? null : t.getSettlement().name(),
                t.getRefundRequestId(),
                raw.topic,
                raw.partition,
                raw.offset);
    }
}

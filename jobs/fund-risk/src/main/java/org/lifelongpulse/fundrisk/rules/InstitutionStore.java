package org.lifelongpulse.fundrisk.rules;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the rules remember about one institution, split by how it is used: the ledger and the
 * progress (read on every wake-up), series buckets, card totals and near-cap charges (one entry
 * read per transaction that needs it), unpaid refund requests and open alerts (one entry each). The
 * job keeps each in its own keyed state; values handed out are changed only through the matching
 * {@code put}. What only recording a transaction changes is in {@link InstitutionRecords}; a SHADOW
 * trial judges through this interface alone.
 */
public interface InstitutionStore {

    Ledger ledger();

    InstitutionProgress progress();

    SeriesBuckets series(Series series);

    /** A payer's near-cap charge times (R12), empty when none. */
    List<Long> nearCapCharges(String payerHash);

    /** Replaces a payer's near-cap charge times; an empty list removes the payer. */
    void putNearCapCharges(String payerHash, List<Long> times);

    /** Every payer with near-cap charges. */
    Iterable<String> nearCapPayers();

    /** Unpaid refund requests by request id (a copy). */
    Map<String, RefundRequest> refundRequests();

    RefundRequest refundRequest(String id);

    void putRefundRequest(String id, RefundRequest request);

    /**
     * The overdue level a request just paid had reached in this store's judgement (null: it was not
     * overdue), forgetting it.
     *
     * @param settled the request as {@link InstitutionRecords#removeRefundRequest} returned it
     */
    default Level settledOverdue(String id, RefundRequest settled) {
        return settled.overdue();
    }

    /** Alerts in rule order, open or in their cool-down (a copy). */
    Collection<Episode> episodes();

    Episode episode(RuleId rule);

    void putEpisode(Episode episode);

    /** Removes and returns the rule's open alert; null if none is open. */
    Episode removeEpisode(RuleId rule);
}

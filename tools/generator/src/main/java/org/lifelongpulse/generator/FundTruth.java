package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;

/**
 * Ledgers and alerts from the fund messages as sent: each txn id once, malformed ones left out,
 * every institution evaluated in event-time order up to the watermark real events reach.
 */
final class FundTruth {

    final Map<String, AlertTruth.Outcome> outcomes = new TreeMap<>();
    final long watermarkEnd;

    FundTruth(
            List<Message> events,
            List<Institution> institutions,
            WorldParameters parameters,
            RuleThresholds limits) {
        Set<String> seen = new HashSet<>();
        Map<String, List<PrepaidTransaction>> byInstitution = new TreeMap<>();
        Map<String, List<Institution>> versions = new TreeMap<>();
        for (Institution i : institutions) {
            versions.computeIfAbsent(i.getInstitutionId().toString(), k -> new ArrayList<>())
                    .add(i);
            byInstitution.computeIfAbsent(i.getInstitutionId().toString(), k -> new ArrayList<>());
        }
        long last = Long.MIN_VALUE;
        for (Message m : events) {
            if (m.topic() != Topic.FUND_TRANSACTIONS || m.malformed()) {
                continue;
            }
            PrepaidTransaction txn = (PrepaidTransaction) m.record();
            if (seen.add(txn.getTxnId().toString())) {
                byInstitution
                        .computeIfAbsent(txn.getInstitutionId().toString(), k -> new ArrayList<>())
                        .add(txn);
                last = Math.max(last, txn.getOccurredAt().toEpochMilli());
            }
        }
        watermarkEnd =
                last == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : last - parameters.watermarkBound().toMillis();
        AlertTruth rules = new AlertTruth(limits, watermarkEnd, parameters.fundEndMillis());
        byInstitution.forEach(
                (id, txns) -> {
                    txns.sort(
                            Comparator.comparing(PrepaidTransaction::getOccurredAt)
                                    .thenComparing(t -> t.getTxnId().toString()));
                    List<Institution> vs = versions.getOrDefault(id, List.of());
                    vs.sort(Comparator.comparing(Institution::getUpdatedAt));
                    if (vs.isEmpty()) {
                        throw new IllegalArgumentException(
                                "transactions of " + id + " without reference data");
                    }
                    outcomes.put(id, rules.evaluate(id, txns, vs));
                });
    }
}

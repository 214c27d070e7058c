package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.functions.InstitutionStateSizeTest.T;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * What the institutions hold in memory between wake-ups reaches every snapshot: a run stopped at a
 * snapshot and resumed from it emits the same alerts, ledger rows and risk scores as a run without
 * a stop, also when the snapshot resumed is not the last one taken (what came after it must not be
 * in it), on the heap and on RocksDB.
 */
class AssessInstitutionsRestoreTest {

    private static final int DAYS = 24;
    private static final int INSTITUTIONS = 3;

    @Test
    void aRestoreInTheMiddleChangesNoRowOnTheHeap() throws Exception {
        restoreChangesNoRow(HashMapStateBackend::new);
    }

    @Test
    void aRestoreInTheMiddleChangesNoRowOnRocksDb() throws Exception {
        restoreChangesNoRow(EmbeddedRocksDBStateBackend::new);
    }

    private static void restoreChangesNoRow(java.util.function.Supplier<StateBackend> backend)
            throws Exception {
        var whole = harness(backend.get(), null);
        days(whole, 0, DAYS);
        List<String> expected = rows(whole);
        assertThat(expected).as("the run has ledger rows").isNotEmpty();

        for (int cut : new int[] {1, 7, 16}) {
            var first = harness(backend.get(), null);
            days(first, 0, cut);
            List<String> rows = rows(first);
            OperatorSubtaskState snapshot = first.snapshot(1, 1);
            days(first, cut, cut + 2); // changes after the snapshot, then another one
            first.snapshot(2, 2);
            first.close();

            var second = harness(backend.get(), snapshot);
            second.processWatermark(T + cut * DAY); // where it stood
            days(second, cut, DAYS);
            rows.addAll(rows(second));
            rows.sort(null);
            assertThat(rows).as("cut after day %d", cut).isEqualTo(expected);
            second.close();
        }
        whole.close();
    }

    private static void days(
            KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow>
                    h,
            int from,
            int to)
            throws Exception {
        for (int day = from; day < to; day++) {
            long d = T + day * DAY;
            for (int i = 0; i < INSTITUTIONS; i++) {
                InstitutionStateSizeTest.day(h, InstitutionStateSizeTest.id(i), day, d);
            }
            h.processWatermark(d + 12 * HOUR);
        }
        h.processWatermark(T + to * DAY);
    }

    /** Alerts, ledger rows and risk scores, each as text, sorted. */
    private static List<String> rows(
            KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow>
                    h) {
        List<String> rows = new ArrayList<>();
        h.extractOutputValues().forEach(a -> rows.add("alert " + a));
        for (StreamRecord<?> r : h.getSideOutput(AssessInstitutions.LEDGER)) {
            rows.add("ledger " + r.getValue());
        }
        for (StreamRecord<?> r : h.getSideOutput(AssessInstitutions.RISK)) {
            rows.add("risk " + r.getValue());
        }
        rows.sort(null);
        return rows;
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, InstitutionInput, ReferenceUpdate, AlertRow>
            harness(StateBackend backend, OperatorSubtaskState restoreFrom) throws Exception {
        var h = AssessHarness.unopened(new AssessInstitutions(Duration.ofDays(60)));
        h.setStateBackend(backend);
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
        if (restoreFrom == null) {
            for (int i = 0; i < INSTITUTIONS; i++) {
                h.processBroadcastElement(
                        ReferenceUpdate.of(
                                Institution.newBuilder()
                                        .setInstitutionId(InstitutionStateSizeTest.id(i))
                                        .setName("Centre " + i)
                                        .setDistrict(District.XUHUI)
                                        .setCategory("music")
                                        .setLicenseStatus(LicenseStatus.ACTIVE)
                                        .setUpdatedAt(
                                                org.lifelongpulse.fundrisk.Transactions.instant(
                                                        "2020-01-01T00:00"))
                                        .build()),
                        0);
            }
        }
        return h;
    }
}

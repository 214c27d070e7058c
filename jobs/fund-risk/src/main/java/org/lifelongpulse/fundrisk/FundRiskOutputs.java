package org.lifelongpulse.fundrisk;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.lifelongpulse.admission.DuplicateEvent;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionRiskRow;
import org.lifelongpulse.fundrisk.records.LedgerRow;

/**
 * Where the fund-risk job's results go: ClickHouse and Kafka in production ({@link FundRiskSinks}),
 * collections in tests.
 */
public record FundRiskOutputs(
        Consumer<DataStream<FundTransaction>> transactions,
        Consumer<DataStream<Institution>> institutions,
        Consumer<DataStream<LedgerRow>> ledger,
        Consumer<DataStream<AlertRow>> alerts,
        Consumer<DataStream<AlertAction>> actions,
        Consumer<DataStream<InstitutionRiskRow>> risk,
        Consumer<DataStream<DuplicateEvent>> duplicates,
        Consumer<DataStream<DeadLetter>> deadLetters) {}

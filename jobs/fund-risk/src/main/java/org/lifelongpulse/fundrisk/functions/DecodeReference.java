package org.lifelongpulse.fundrisk.functions;

import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.lifelongpulse.adapters.kafka.DecodeFunction;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.SchemaTopic;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Contracts;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * Decodes the reference side, institution versions, rule settings and supervisors' actions read by
 * one source from their topics, into {@link ReferenceUpdate}s; what does not decode goes to {@link
 * DecodeFunction#DEAD_LETTERS} with its position and reason.
 */
public final class DecodeReference extends ProcessFunction<RawRecord, ReferenceUpdate>
        implements ResultTypeQueryable<ReferenceUpdate> {

    private static final long serialVersionUID = 1L;

    private final String rulesTopic;
    private final String actionsTopic;
    private final SchemaTopic schemas;

    private transient ContractDecoder<Institution> institutions;
    private transient ContractDecoder<RiskRule> rules;
    private transient ContractDecoder<AlertAction> actions;
    private transient Clock clock;

    /**
     * @param rulesTopic messages of this topic are rule settings
     * @param actionsTopic messages of this topic are supervisors' actions; all others institutions
     */
    public DecodeReference(String rulesTopic, String actionsTopic) {
        this(rulesTopic, actionsTopic, SchemaTopic.none());
    }

    /**
     * @param schemas where writer schemas this job was not built with are looked up before a
     *     message is dead-lettered as "unknown writer schema fingerprint"
     */
    public DecodeReference(String rulesTopic, String actionsTopic, SchemaTopic schemas) {
        this.rulesTopic = rulesTopic;
        this.actionsTopic = actionsTopic;
        this.schemas = schemas;
    }

    @Override
    public void open(OpenContext openContext) {
        // reference data may be dated anywhere: only the shape is checked, not the times
        Validation validation = new Validation(Duration.ofDays(36_500));
        institutions = new ContractDecoder<>(format(Institution.class), validation);
        rules = new ContractDecoder<>(format(RiskRule.class), validation);
        actions = new ContractDecoder<>(format(AlertAction.class), validation);
        clock = Clock.systemUTC();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> WireFormat<T> format(
            Class<T> recordClass) {
        return WireFormat.withLookup(
                recordClass, schemas.storeFor(Contracts.schemaOf(recordClass)));
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ReferenceUpdate> out) {
        if (rulesTopic.equals(raw.topic)) {
            ContractDecoder.Decoded<RiskRule> d =
                    rules.decode(raw.topic, raw.partition, raw.offset, raw.value, clock.instant());
            if (d.isValid()) {
                out.collect(ReferenceUpdate.of(d.value()));
            } else {
                ctx.output(DecodeFunction.DEAD_LETTERS, d.deadLetter());
            }
        } else if (actionsTopic.equals(raw.topic)) {
            ContractDecoder.Decoded<AlertAction> d =
                    actions.decode(
                            raw.topic, raw.partition, raw.offset, raw.value, clock.instant());
            if (d.isValid()) {
                out.collect(ReferenceUpdate.of(d.value()));
            } else {
                ctx.output(DecodeFunction.DEAD_LETTERS, d.deadLetter());
            }
        } else {
            ContractDecoder.Decoded<Institution> d =
                    institutions.decode(
                            raw.topic, raw.partition, raw.offset, raw.value, clock.instant());
            if (d.isValid()) {
                out.collect(ReferenceUpdate.of(d.value()));
            } else {
                ctx.output(DecodeFunction.DEAD_LETTERS, d.deadLetter());
            }
        }
    }

    @Override
    public TypeInformation<ReferenceUpdate> getProducedType() {
        return TypeInformation.of(ReferenceUpdate.class);
    }
}

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
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * Decodes the broadcast side, institution versions and rule settings read by one source from their
 * two topics, into {@link ReferenceUpdate}s; what does not decode goes to {@link
 * DecodeFunction#DEAD_LETTERS} with its position and reason.
 */
public final class DecodeReference extends ProcessFunction<RawRecord, ReferenceUpdate>
        implements ResultTypeQueryable<ReferenceUpdate> {

    private static final long serialVersionUID = 1L;

    private final String rulesTopic;

    private transient ContractDecoder<Institution> institutions;
    private transient ContractDecoder<RiskRule> rules;
    private transient Clock clock;

    /**
     * @param rulesTopic messages of this topic are rule settings; all others institutions
     */
    public DecodeReference(String rulesTopic) {
        this.rulesTopic = rulesTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        // reference data may be dated anywhere: only the shape is checked, not the times
        Validation validation = new Validation(Duration.ofDays(36_500));
        institutions = new ContractDecoder<>(WireFormat.of(Institution.class), validation);
        rules = new ContractDecoder<>(WireFormat.of(RiskRule.class), validation);
        clock = Clock.systemUTC();
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

package org.lifelongpulse.adapters.kafka;

import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Contracts;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Decodes and validates raw Kafka messages into contract records, and converts them into the job's
 * event type; whatever does not decode or validate goes to the {@link #DEAD_LETTERS} side output
 * with its topic, partition, offset and reason. It never throws for bad input, so one bad message
 * cannot stop a job.
 */
public final class DecodeFunction<T extends SpecificRecord, O> extends ProcessFunction<RawRecord, O>
        implements ResultTypeQueryable<O> {

    private static final long serialVersionUID = 1L;

    /** Side output of the messages that could not be used. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final Class<T> recordClass;
    private final RecordConverter<T, O> converter;
    private final TypeInformation<O> producedType;
    private final long maxFutureSkewMillis;
    private final SchemaTopic schemas;

    private transient ContractDecoder<T> decoder;
    private transient Clock clock;
    private transient Counter decoded;
    private transient Counter deadLettered;

    public DecodeFunction(
            Class<T> recordClass,
            RecordConverter<T, O> converter,
            TypeInformation<O> producedType,
            java.time.Duration maxFutureSkew) {
        this(recordClass, converter, producedType, maxFutureSkew, SchemaTopic.none());
    }

    /**
     * A decoder that resolves writer schemas it was not built with from {@code schemas} before
     * dead-lettering a message as "unknown writer schema fingerprint".
     */
    public DecodeFunction(
            Class<T> recordClass,
            RecordConverter<T, O> converter,
            TypeInformation<O> producedType,
            java.time.Duration maxFutureSkew,
            SchemaTopic schemas) {
        this.recordClass = recordClass;
        this.converter = converter;
        this.producedType = producedType;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.schemas = schemas;
    }

    /** Decodes into the contract record itself. */
    public static <T extends SpecificRecord> DecodeFunction<T, T> of(Class<T> recordClass) {
        return of(recordClass, SchemaTopic.none());
    }

    /**
     * Decodes into the contract record itself, looking unknown writer schemas up in {@code
     * schemas}.
     */
    public static <T extends SpecificRecord> DecodeFunction<T, T> of(
            Class<T> recordClass, SchemaTopic schemas) {
        return new DecodeFunction<>(
                recordClass,
                RecordConverter.identity(),
                TypeInformation.of(recordClass),
                Validation.DEFAULT_MAX_FUTURE_SKEW,
                schemas);
    }

    @Override
    public void open(OpenContext openContext) {
        decoder =
                new ContractDecoder<>(
                        WireFormat.withLookup(
                                recordClass, schemas.storeFor(Contracts.schemaOf(recordClass))),
                        new Validation(java.time.Duration.ofMillis(maxFutureSkewMillis)));
        clock = Clock.systemUTC();
        converter.open();
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        deadLettered = getRuntimeContext().getMetricGroup().counter("recordsDeadLettered");
    }

    /** The declared output type, so that Flink never falls back to Kryo. */
    @Override
    public TypeInformation<O> getProducedType() {
        return producedType;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<O> out) {
        ContractDecoder.Decoded<T> result =
                decoder.decode(raw.topic, raw.partition, raw.offset, raw.value, clock.instant());
        if (result.isValid()) {
            decoded.inc();
            out.collect(converter.convert(result.value(), raw));
        } else {
            deadLettered.inc();
            ctx.output(DEAD_LETTERS, result.deadLetter());
        }
    }
}

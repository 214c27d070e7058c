package org.lifelongpulse.adapters.kafka;

import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.admission.Admissible;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Contracts;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Decodes, validates and converts each Kafka message inside the source, so that the source can
 * generate watermarks per partition from event time. Never throws for bad input: a message that
 * does not decode or validate becomes a {@link Decoded} holding its dead letter.
 */
public final class ContractDeserializer<T extends SpecificRecord, O extends Admissible>
        implements KafkaRecordDeserializationSchema<Decoded<O>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> recordClass;
    private final Class<O> eventClass;
    private final RecordConverter<T, O> converter;
    private final long maxFutureSkewMillis;
    private final SchemaTopic schemas;

    private transient ContractDecoder<T> decoder;
    private transient Clock clock;
    private transient RawRecord position;

    public ContractDeserializer(
            Class<T> recordClass,
            Class<O> eventClass,
            RecordConverter<T, O> converter,
            Duration maxFutureSkew) {
        this(recordClass, eventClass, converter, maxFutureSkew, SchemaTopic.none());
    }

    /**
     * A deserializer that resolves writer schemas it was not built with from {@code schemas} before
     * dead-lettering a message as "unknown writer schema fingerprint".
     */
    public ContractDeserializer(
            Class<T> recordClass,
            Class<O> eventClass,
            RecordConverter<T, O> converter,
            Duration maxFutureSkew,
            SchemaTopic schemas) {
        this.recordClass = recordClass;
        this.eventClass = eventClass;
        this.converter = converter;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.schemas = schemas;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder =
                new ContractDecoder<>(
                        WireFormat.withLookup(
                                recordClass, schemas.storeFor(Contracts.schemaOf(recordClass))),
                        new Validation(Duration.ofMillis(maxFutureSkewMillis)));
        clock = Clock.systemUTC();
        position = new RawRecord();
        converter.open();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<O>> out) {
        ContractDecoder.Decoded<T> result =
                decoder.decode(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.value(),
                        clock.instant());
        if (result.isValid()) {
            position.topic = record.topic();
            position.partition = record.partition();
            position.offset = record.offset();
            position.timestamp = record.timestamp();
            out.collect(new Decoded<>(converter.convert(result.value(), position), null));
        } else {
            out.collect(new Decoded<>(null, result.deadLetter()));
        }
    }

    @Override
    public TypeInformation<Decoded<O>> getProducedType() {
        return Decoded.typeOf(eventClass);
    }
}

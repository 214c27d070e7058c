package org.lifelongpulse.cli.bench;

import org.apache.flink.util.Collector;

/** Keeps the one record a Kafka deserializer emits per message, for the floors. */
final class OneRecord<T> implements Collector<T> {

    private T last;

    @Override
    public void collect(T record) {
        last = record;
    }

    /** The record collected since the last take; null if none. */
    T take() {
        T t = last;
        last = null;
        return t;
    }

    @Override
    public void close() {}
}

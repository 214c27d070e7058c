package org.lifelongpulse.generator;

import java.io.IOException;

/** Where generated messages go: a directory of JSON lines or Kafka. */
public interface EventSink extends AutoCloseable {

    void send(Message message) throws IOException;

    /** Makes everything sent so far durable (written out, or acknowledged by the broker). */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}

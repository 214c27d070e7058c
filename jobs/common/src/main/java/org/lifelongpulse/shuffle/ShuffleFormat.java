package org.lifelongpulse.shuffle;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How records of one type are written between operators: field by field, without reflection and
 * without Flink's per-field null flags. Only for records that go over the network between tasks of
 * one running job, never into state: nothing written this way outlives the job, so the format may
 * change in any release (a savepoint holds no such bytes, checkpoints being aligned). An
 * implementation is a class with a public no-argument constructor and no fields of its own that
 * change what it writes.
 */
public interface ShuffleFormat<T> extends Serializable {

    void write(T record, DataOutputView out) throws IOException;

    T read(DataInputView in) throws IOException;
}

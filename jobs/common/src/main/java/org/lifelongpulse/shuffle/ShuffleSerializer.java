package org.lifelongpulse.shuffle;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.InstantiationUtil;

/**
 * Writes immutable records with their {@link ShuffleFormat}. Stateless, so one instance serves
 * every thread; records are immutable, so a copy is the record itself.
 */
public final class ShuffleSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final ShuffleFormat<T> format;

    public ShuffleSerializer(Class<T> type, ShuffleFormat<T> format) {
        this.type = type;
        this.format = format;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView out) throws IOException {
        format.write(record, out);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        return format.read(in);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return format.read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        format.write(format.read(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShuffleSerializer<?> other
                && type.equals(other.type)
                && format.getClass().equals(other.format.getClass());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, format.getClass());
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(type, format);
    }

    /**
     * The record class and the format class, by name. Such bytes are never kept in a savepoint (see
     * {@link ShuffleFormat}); a snapshot is compatible only with the same format class.
     */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {

        private Class<T> type;
        private ShuffleFormat<T> format;

        /** For Flink, which reads the fields with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Class<T> type, ShuffleFormat<T> format) {
            this.type = type;
            this.format = format;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
            out.writeUTF(format.getClass().getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader loader)
                throws IOException {
            try {
                type = (Class<T>) Class.forName(in.readUTF(), false, loader);
                format =
                        (ShuffleFormat<T>)
                                InstantiationUtil.instantiate(
                                        in.readUTF(), ShuffleFormat.class, loader);
            } catch (ClassNotFoundException | FlinkException e) {
                throw new IOException("the record or format class of a shuffle format", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new ShuffleSerializer<>(type, format);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<?> s
                            && type.equals(s.type)
                            && format.getClass().equals(s.format.getClass())
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}

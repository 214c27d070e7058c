package org.lifelongpulse.shuffle;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of a record written between operators by a {@link ShuffleFormat} (see there for where
 * such a type may be used: never in state, never as a key).
 */
public final class ShuffleTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final ShuffleFormat<T> format;

    public ShuffleTypeInfo(Class<T> type, ShuffleFormat<T> format) {
        this.type = type;
        this.format = format;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    /** Never a key: its bytes are not stable across releases, and nothing hashes them. */
    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new ShuffleSerializer<>(type, format);
    }

    @Override
    public String toString() {
        return "ShuffleTypeInfo<" + type.getName() + ", " + format.getClass().getName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShuffleTypeInfo<?> other
                && other.canEqual(this)
                && type.equals(other.type)
                && format.getClass().equals(other.format.getClass());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, format.getClass());
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ShuffleTypeInfo;
    }
}

package org.lifelongpulse.shuffle;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What a record's {@code @TypeInfo} names to be written by its {@link ShuffleFormat}: a subclass
 * per record, with a public no-argument constructor passing the record class and its format.
 */
public abstract class ShuffleTypeInfoFactory<T> extends TypeInfoFactory<T> {

    private final Class<T> type;
    private final Supplier<ShuffleFormat<T>> format;

    protected ShuffleTypeInfoFactory(Class<T> type, Supplier<ShuffleFormat<T>> format) {
        this.type = type;
        this.format = format;
    }

    @Override
    public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
        return new ShuffleTypeInfo<>(type, format.get());
    }
}

package org.lifelongpulse.testkit;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.api.common.functions.SerializerFactory;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.util.OutputTag;

/**
 * Finds the types a job's code declares (every class of a package, every state descriptor and
 * output tag held in a static field) and builds their serializers with generic types disabled: a
 * type that would fall back to Kryo anywhere inside fails to build.
 */
public final class KryoFreeTypes {

    private KryoFreeTypes() {}

    /** Serializer config as {@code pipeline.generic-types: false} sets it. */
    public static SerializerConfigImpl noGenericTypes() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return config;
    }

    public static <T> TypeSerializer<T> serializer(TypeInformation<T> info) {
        return info.createSerializer(noGenericTypes());
    }

    /** Initializes a descriptor's serializer with generic types disabled. */
    public static TypeSerializer<?> serializer(StateDescriptor<?, ?> descriptor) {
        descriptor.initializeSerializerUnlessSet(
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> info) {
                        return serializer(info);
                    }
                });
        return descriptor.getSerializer();
    }

    /**
     * The top-level and nested classes compiled into a package (not its sub-packages) in the
     * module's own class directories: main code and, where the package is shared, its tests.
     */
    public static List<Class<?>> classesOf(String packageName) throws Exception {
        List<Class<?>> classes = new ArrayList<>();
        for (URL dir :
                Collections.list(
                        KryoFreeTypes.class
                                .getClassLoader()
                                .getResources(packageName.replace('.', '/')))) {
            for (String name : classNamesIn(dir, packageName.replace('.', '/'))) {
                Class<?> c = Class.forName(packageName + "." + name);
                if (!c.getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath()
                        .endsWith("test-classes/")) {
                    classes.add(c);
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no classes found in " + packageName);
        }
        classes.sort((a, b) -> a.getName().compareTo(b.getName()));
        return classes;
    }

    /**
     * The simple names of the classes directly in a package directory: on the file system when the
     * module's classes are a directory, in the jar when the build has packaged them (Maven's
     * reactor hands later phases the jar).
     */
    private static List<String> classNamesIn(URL dir, String path) throws Exception {
        List<String> names = new ArrayList<>();
        if ("file".equals(dir.getProtocol())) {
            File[] files = new File(dir.toURI()).listFiles((d, n) -> n.endsWith(".class"));
            for (File f : files) {
                names.add(f.getName().substring(0, f.getName().length() - 6));
            }
        } else if ("jar".equals(dir.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) dir.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (name.startsWith(path + "/")
                            && name.endsWith(".class")
                            && name.indexOf('/', path.length() + 1) < 0) {
                        names.add(name.substring(path.length() + 1, name.length() - 6));
                    }
                }
            }
        }
        return names;
    }

    /** Static fields of the given type declared in the classes of a package. */
    public static <T> List<T> staticFieldsOf(String packageName, Class<T> type) throws Exception {
        List<T> found = new ArrayList<>();
        for (Class<?> c : classesOf(packageName)) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && type.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    found.add(type.cast(f.get(null)));
                } else if (Modifier.isStatic(f.getModifiers())
                        && List.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    for (Object o : (List<?>) f.get(null)) {
                        if (type.isInstance(o)) {
                            found.add(type.cast(o));
                        }
                    }
                }
            }
        }
        return found;
    }

    public static List<StateDescriptor<?, ?>> stateDescriptorsOf(String packageName)
            throws Exception {
        List<StateDescriptor<?, ?>> found = new ArrayList<>();
        for (StateDescriptor<?, ?> d : staticFieldsOf(packageName, StateDescriptor.class)) {
            if (found.stream().noneMatch(k -> k == d)) {
                found.add(d);
            }
        }
        return found;
    }

    public static List<OutputTag<?>> outputTagsOf(String packageName) throws Exception {
        return new ArrayList<>(
                staticFieldsOf(packageName, OutputTag.class).stream()
                        .<OutputTag<?>>map(t -> t)
                        .toList());
    }
}

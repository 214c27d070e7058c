package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags every Flink JVM needs on Java 17, from the one list {@code
 * deploy/flink/java17-opens.args} (a java {@code @argument} file), which the build packages beside
 * this class.
 */
public final class JavaOpens {

    /** Where the build puts the list, beside this class. */
    static final String RESOURCE = "java17-opens.args";

    private JavaOpens() {}

    /** The flags, in the order of the file. */
    public static List<String> flags() {
        try (InputStream in = JavaOpens.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new StackException(
                        RESOURCE
                                + " is missing from the build (it is copied from"
                                + " deploy/flink/)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The flags of an argument file's text as java reads it when each flag has a line of its own:
     * blank lines and lines starting with {@code #} left out.
     */
    public static List<String> parse(String argumentFile) {
        return argumentFile
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }
}

package org.lifelongpulse.jobs;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** Command-line arguments of a job, {@code --key value} or {@code --key=value}, as Flink config. */
public final class JobArguments {

    private JobArguments() {}

    public static Configuration parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got '" + arg + "'");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq > 0) {
                values.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(body, args[++i]);
            } else {
                values.put(body, "true");
            }
        }
        return Configuration.fromMap(values);
    }
}

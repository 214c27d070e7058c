package org.lifelongpulse.contracts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Access to the contracts' schemas, current and historical. */
public final class Contracts {

    static final String HISTORY_INDEX = "/avro/history/INDEX";

    private Contracts() {}

    public static Schema schemaOf(Class<? extends SpecificRecord> recordClass) {
        return SpecificData.get().getSchema(recordClass);
    }

    /**
     * Earlier versions of the contracts, listed in {@code schemas/avro/history/INDEX}. A reader
     * needs them to resolve messages that an older producer wrote.
     */
    public static List<Schema> history() {
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = Contracts.class.getResourceAsStream(HISTORY_INDEX)) {
            if (index == null) {
                return schemas;
            }
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String file = line.strip();
                if (file.isEmpty() || file.startsWith("#")) {
                    continue;
                }
                try (InputStream in =
                        Contracts.class.getResourceAsStream("/avro/history/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "schemas/avro/history/INDEX lists " + file + ", which is missing");
                    }
                    // A fresh parser per file: every version redefines the same names.
                    schemas.add(new Schema.Parser().parse(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemas;
    }

    /** A schema store holding every historical version plus any extra schemas given. */
    public static SchemaStore.Cache schemaStore(List<Schema> extra) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        history().forEach(store::addSchema);
        extra.forEach(store::addSchema);
        return store;
    }
}

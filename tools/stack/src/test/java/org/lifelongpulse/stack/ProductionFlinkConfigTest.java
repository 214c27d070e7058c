package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionFlinkConfigTest {

    private static final String SAMPLE =
            String.join(
                    "\n",
                    "# a comment",
                    "rest.port: 8081",
                    "state.backend.type: rocksdb",
                    "execution.checkpointing.interval: 30 s",
                    "");

    @Test
    void hostSettingsReplaceOnlyTheirOwnKeysAndTheRestIsAppended() {
        Map<String, String> host = new LinkedHashMap<>();
        host.put("rest.port", "40123");
        host.put("io.tmp.dirs", "/tmp/x");
        String written = new ProductionFlinkConfig(SAMPLE).withHostSettings(host);
        Map<String, String> entries = new ProductionFlinkConfig(written).entries();

        assertThat(entries)
                .containsEntry("rest.port", "40123")
                .containsEntry("io.tmp.dirs", "/tmp/x")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.interval", "30 s")
                .hasSize(4);
        assertThat(written)
                .contains("# a comment")
                .contains("# host: production has rest.port: 8081");
    }

    @Test
    void productionSettingsCannotBeOverriddenAsHostSettings() {
        assertThatThrownBy(
                        () ->
                                new ProductionFlinkConfig(SAMPLE)
                                        .withHostSettings(
                                                Map.of("execution.checkpointing.interval", "5 s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("execution.checkpointing.interval");
    }

    @Test
    void thePackagedFileIsDeployFlinkConfigYaml() throws Exception {
        String deployed = Files.readString(ProjectTree.root().resolve("deploy/flink/config.yaml"));
        assertThat(ProductionFlinkConfig.packaged().entries())
                .isEqualTo(new ProductionFlinkConfig(deployed).entries())
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true");
    }
}

package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the JobManager's {@code /taskmanagers} answer. */
class TaskManagerListTest {

    @Test
    void readsEachEntrysOwnFieldsNotThoseOfNestedObjects() {
        // Shaped like Flink 2.2's answer, with a nested "id" and slot counts that must not count.
        String json =
                """
                {"taskmanagers":[{"id":"taskmanager-2","path":"pekko.tcp://flink@127.0.0.1:1/x",
                "dataPort":40001,"totalResource":{"cpuCores":2.0,"slotsNumber":99,
                "extendedResources":{}},"hardware":{"id":"x"},"slotsNumber":4,"freeSlots":1,
                "note":"a } and a \\" inside a string"},
                {"freeSlots":2,"slotsNumber":2,"id":"taskmanager-3","blocked":false}]}\
                """;
        assertThat(LocalFlinkCluster.parseTaskManagers(json))
                .containsExactly(
                        new LocalFlinkCluster.Registration("taskmanager-2", 4, 1),
                        new LocalFlinkCluster.Registration("taskmanager-3", 2, 2));
    }

    @Test
    void noTaskManagers() {
        assertThat(LocalFlinkCluster.parseTaskManagers("{\"taskmanagers\":[]}")).isEmpty();
        assertThat(LocalFlinkCluster.parseTaskManagers("{\"errors\":[\"x\"]}"))
                .isEqualTo(List.of());
    }

    @Test
    void aJobIsReadyForASavepointOnlyWhenEveryTaskRuns() {
        assertThat(
                        LocalFlinkCluster.allTasksRunning(
                                "{\"state\":\"RUNNING\",\"status-counts\":{\"CREATED\":0,"
                                        + "\"RUNNING\":4,\"FINISHED\":1,\"INITIALIZING\":0}}"))
                .isTrue();
        assertThat(
                        LocalFlinkCluster.allTasksRunning(
                                "{\"status-counts\":{\"RUNNING\":3,\"INITIALIZING\":1}}"))
                .isFalse();
        assertThat(
                        LocalFlinkCluster.allTasksRunning(
                                "{\"status-counts\":{\"RUNNING\":0,\"DEPLOYING\":0,"
                                        + "\"SCHEDULED\":4}}"))
                .isFalse();
        assertThat(LocalFlinkCluster.allTasksRunning("{\"state\":\"RUNNING\"}")).isFalse();
    }
}

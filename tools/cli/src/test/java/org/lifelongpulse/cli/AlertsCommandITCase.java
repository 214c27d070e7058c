package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/**
 * {@code ./pulse alerts} on a real Kafka and ClickHouse: the queue read as the reader account, an
 * ack and a close published as AlertActions keyed by their action id, and the lists following the
 * case once the actions are in {@code pulse.alert_actions} (written here as the fund-risk job would
 * write them). The alert belongs to an institution of this test only, so rows other tests leave
 * behind do not matter.
 */
@ExtendWith(LocalStackExtension.class)
class AlertsCommandITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORDED =
            Pattern.compile("; action ([0-9a-f-]{36})(;|$)", Pattern.MULTILINE);

    @Test
    void actionsReachTheTopicAndTheListsFollowTheCase(Endpoints endpoints) throws Exception {
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), 2, (short) 1);
        StackSchema.migrator(endpoints, line -> {}).apply();
        ClickHouseAccounts.Account adminAccount = endpoints.accounts().admin();
        ClickHouseHttp admin =
                new ClickHouseHttp(
                        endpoints.clickHouseUrl(), adminAccount.user(), adminAccount.password());
        String institution = "INST-IT-" + UUID.randomUUID().toString().substring(0, 8);
        String alert = "R5-" + institution + "-1635121200000";
        admin.execute(
                "INSERT INTO pulse.risk_alerts (alert_id, institution_id, district, rule_id,"
                        + " rule_version, severity, status, first_detected_at, last_detected_at,"
                        + " window_start, window_end, observed, threshold, evidence, citation,"
                        + " version, shadow) VALUES ('"
                        + alert
                        + "', '"
                        + institution
                        + "', 'JINGAN', 'R5', 1, 'RED', 'UPDATED', '2021-10-25 08:20:00',"
                        + " '2021-10-25 09:00:00', '2021-10-18 09:00:00', '2021-10-25 09:00:00',"
                        + " 0.4, 0.5, 'Escrow covers 40%', 'Escrow of prepaid fees', 2, 0)");

        JsonNode queue = listJson("--institution", institution);
        assertThat(queue).hasSize(1);
        assertThat(queue.get(0).path("alert_id").asText()).isEqualTo(alert);
        assertThat(queue.get(0).path("first_detected").asText())
                .isEqualTo("2021-10-25T08:20:00+08:00");
        assertThat(queue.get(0).path("acknowledged_by").asText()).isEmpty();

        // ack: one AlertAction on the topic, keyed by its action id, naming version 2
        CliRun ack = CliRun.of(CliRun.onTestStack("alerts", "ack", alert, "--by", "li.wei"));
        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out())
                .startsWith(
                        "recorded: "
                                + alert
                                + " (R5, "
                                + institution
                                + ", version 2) acknowledged"
                                + " by li.wei; action ");
        AlertAction acked = onTopic(endpoints, actionId(ack.out()));
        assertThat(acked.getAction()).isEqualTo(AlertActionType.ACK);
        assertThat(acked.getAlertId()).isEqualTo(alert);
        assertThat(acked.getInstitutionId()).isEqualTo(institution);
        assertThat(acked.getRuleId()).isEqualTo("R5");
        assertThat(acked.getActor()).isEqualTo("li.wei");
        assertThat(acked.getAlertVersion()).isEqualTo(2L);
        assertThat(acked.getText()).isNull();
        assertThat(acked.getActedAt()).isBetween(Instant.now().minusSeconds(120), Instant.now());
        store(admin, acked);
        assertThat(listJson("--institution", institution).get(0).path("acknowledged_by").asText())
                .isEqualTo("li.wei");

        // close: the reason travels; once stored, the alert leaves the queue for --closed
        CliRun close =
                CliRun.of(
                        CliRun.onTestStack(
                                "alerts",
                                "close",
                                alert,
                                "--by",
                                "zhang.min",
                                "--reason",
                                "escrow topped up, statement checked"));
        assertThat(close.exitCode()).as(close.err()).isZero();
        AlertAction closed = onTopic(endpoints, actionId(close.out()));
        assertThat(closed.getAction()).isEqualTo(AlertActionType.CLOSE);
        assertThat(closed.getText()).isEqualTo("escrow topped up, statement checked");
        store(admin, closed);

        assertThat(listJson("--institution", institution)).isEmpty();
        CliRun recently =
                CliRun.of(
                        CliRun.onTestStack(
                                "alerts",
                                "list",
                                "--closed",
                                "--since",
                                "now-1h",
                                "--institution",
                                institution,
                                "--format",
                                "csv"));
        assertThat(recently.exitCode()).as(recently.err()).isZero();
        assertThat(recently.outLines())
                .hasSize(2)
                .last()
                .asString()
                .startsWith(alert + ",R5," + institution + ",JINGAN,RED,")
                .endsWith(",zhang.min,\"escrow topped up, statement checked\"");

        CliRun again =
                CliRun.of(
                        CliRun.onTestStack(
                                "alerts", "close", alert, "--by", "li.wei", "--reason", "twice"));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already closed by zhang.min");
        CliRun unknown =
                CliRun.of(CliRun.onTestStack("alerts", "ack", alert + "-nope", "--by", "li"));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no alert " + alert + "-nope");

        CliRun show = CliRun.of(CliRun.onTestStack("alerts", "show", alert));
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("closed by zhang.min: escrow topped up, statement checked")
                .contains("ACK     li.wei")
                .contains("CLOSE   zhang.min");
    }

    private static JsonNode listJson(String... filters) throws Exception {
        String[] args = new String[filters.length + 4];
        args[0] = "alerts";
        args[1] = "list";
        System.arraycopy(filters, 0, args, 2, filters.length);
        args[filters.length + 2] = "--format";
        args[filters.length + 3] = "json";
        CliRun run = CliRun.of(CliRun.onTestStack(args));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static String actionId(String out) {
        Matcher m = RECORDED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    /** The action with this key on fund.alert-actions.v1, read from the beginning. */
    private static AlertAction onTopic(Endpoints endpoints, String key) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        WireFormat<AlertAction> format = WireFormat.of(AlertAction.class);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topic.ALERT_ACTIONS.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        return format.decode(r.value());
                    }
                }
            }
        }
        throw new AssertionError("no action " + key + " on " + Topic.ALERT_ACTIONS.topicName());
    }

    /** What the fund-risk job does with an action: a row in pulse.alert_actions. */
    private static void store(ClickHouseHttp admin, AlertAction a) {
        admin.execute(
                "INSERT INTO pulse.alert_actions (action_id, alert_id, institution_id, rule_id,"
                        + " action, actor, assignee, text, acted_at, alert_version) VALUES ('"
                        + a.getActionId()
                        + "', '"
                        + a.getAlertId()
                        + "', '"
                        + a.getInstitutionId()
                        + "', '"
                        + a.getRuleId()
                        + "', '"
                        + a.getAction()
                        + "', '"
                        + a.getActor()
                        + "', '"
                        + (a.getAssignee() == null ? "" : a.getAssignee())
                        + "', '"
                        + (a.getText() == null ? "" : a.getText())
                        + "', "
                        + a.getActedAt().getEpochSecond()
                        + ", "
                        + a.getAlertVersion()
                        + ")");
    }
}

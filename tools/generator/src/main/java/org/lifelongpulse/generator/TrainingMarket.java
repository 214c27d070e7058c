package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;

/**
 * The training institutions of the fund world: ordinary ones that break no rule and the scripted
 * ones of {@link Scenario}, spread evenly over the institution ids. Each institution is planned,
 * then evaluated by {@link AlertTruth}; a plan whose outcome differs from its promise (or is
 * ambiguous) is redrawn with the next attempt's randomness, so every seed yields a world that keeps
 * its promises.
 */
final class TrainingMarket {

    private static final int MAX_ATTEMPTS = 40;
    private static final List<String> CATEGORIES =
            List.of(
                    "arts",
                    "languages",
                    "sports",
                    "music",
                    "calligraphy",
                    "dance",
                    "science",
                    "computing",
                    "cooking",
                    "chess");

    /** One institution: its reference versions, transactions and script (null if ordinary). */
    record Member(
            String institutionId,
            List<Institution> versions,
            List<PrepaidTransaction> transactions,
            Scenario scenario) {}

    private final WorldParameters parameters;
    private final RuleThresholds limits;

    TrainingMarket(WorldParameters parameters, RuleThresholds limits) {
        this.parameters = parameters;
        this.limits = limits;
    }

    /** Scripted institutions sit at evenly spread positions; the rest are ordinary. */
    Map<Integer, Scenario> placement() {
        Scenario[] scenarios = Scenario.values();
        Map<Integer, Scenario> placed = new LinkedHashMap<>();
        int n = parameters.institutions();
        for (int k = 0; k < scenarios.length; k++) {
            placed.put((int) ((long) k * n / scenarios.length) + 1, scenarios[k]);
        }
        return placed;
    }

    List<Member> members() {
        Map<Integer, Scenario> placed = placement();
        long start = parameters.fundStartMillis();
        long end = parameters.fundEndMillis();
        // a conservative end of the watermark while planning; the truth uses the real one
        AlertTruth check =
                new AlertTruth(limits, end - parameters.watermarkBound().toMillis(), end);
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= parameters.institutions(); i++) {
            String id = String.format("INST-%04d", i);
            Scenario scenario = placed.get(i);
            Member member = null;
            List<String> failures = new ArrayList<>();
            for (int attempt = 0; attempt < MAX_ATTEMPTS && member == null; attempt++) {
                SplittableRandom random =
                        Seeds.derive(parameters.seed(), "institution", i, attempt);
                Institution base = reference(id, random, start);
                InstitutionBook book = new InstitutionBook(id, random, start, end);
                if (scenario != null) {
                    scenario.configure(book);
                }
                book.operate();
                List<Institution> versions = List.of(base);
                if (scenario != null) {
                    scenario.script(book);
                    versions = scenario.versions(base, book);
                }
                List<PrepaidTransaction> txns =
                        book.transactions(Seeds.tag(parameters.seed()) + "-t" + id.substring(5));
                AlertTruth.Outcome outcome = check.evaluate(id, txns, versions);
                boolean kept =
                        outcome.ambiguities().isEmpty()
                                && (scenario == null
                                        ? outcome.fired().isEmpty()
                                        : scenario.satisfiedBy(outcome.fired()));
                if (kept) {
                    member = new Member(id, versions, txns, scenario);
                } else {
                    failures.add(outcome.fired().keySet() + " " + outcome.ambiguities());
                }
            }
            if (member == null) {
                throw new IllegalStateException(
                        "could not plan "
                                + id
                                + " ("
                                + (scenario == null ? "ordinary" : scenario)
                                + ") to keep its promise"
                                + " in "
                                + MAX_ATTEMPTS
                                + " attempts; last outcomes: "
                                + failures.subList(
                                        Math.max(0, failures.size() - 3), failures.size()));
            }
            members.add(member);
        }
        return members;
    }

    /** Reference data in force from a month before the fund world starts. */
    private Institution reference(String id, SplittableRandom random, long start) {
        District district = CityProfile.DISTRICT_BY_POPULATION.draw(random);
        String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        return Institution.newBuilder()
                .setInstitutionId(id)
                .setName(
                        CityProfile.districtName(district)
                                + " "
                                + Character.toUpperCase(category.charAt(0))
                                + category.substring(1)
                                + " Training Centre "
                                + id.substring(5))
                .setDistrict(district)
                .setCategory(category)
                .setLicenseStatus(LicenseStatus.ACTIVE)
                .setBondInsured(random.nextDouble() < 0.4)
                .setUpdatedAt(Instant.ofEpochMilli(start - 30 * Time.DAY))
                .build();
    }

    /** All transactions of all members in event-time order (ties by institution order). */
    static List<PrepaidTransaction> timeline(List<Member> members) {
        List<PrepaidTransaction> all = new ArrayList<>();
        members.forEach(m -> all.addAll(m.transactions()));
        all.sort(Comparator.comparing(PrepaidTransaction::getOccurredAt));
        return all;
    }
}

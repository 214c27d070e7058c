package org.lifelongpulse.generator;

import org.lifelongpulse.avro.Severity;

/** The risk rules of RULES.md, with the highest severity each can reach. */
public enum Rule {
    R1("prepaid span over 92 days or 60 class hours in one charge", Severity.RED),
    R2("one charge over 5,000 yuan", Severity.RED),
    R3("card balance over its cap (anonymous 1,000, registered 5,000 yuan)", Severity.YELLOW),
    R4("sales settled outside supervision (RED at 10,000 yuan in 30 days)", Severity.RED),
    R5("escrow coverage below 1.0 (RED below 0.5) while anything is owed", Severity.RED),
    R6("escrow released ahead of delivery", Severity.RED),
    R7("sales while the licence is not ACTIVE or inside the 30-day closure notice", Severity.RED),
    R8("7-day sales over 3x the trailing 4-week weekly mean and >= 50,000 yuan", Severity.YELLOW),
    R9("14-day delivery under 50% of its baseline while sales continue", Severity.RED),
    R10("7-day refund requests over 3x baseline and at least 5", Severity.YELLOW),
    R11("refund request unpaid 15 days (RED at 30)", Severity.RED),
    R12(
            "3 charges by one payer in 24 h, each within 90-100% of its card kind's cap",
            Severity.YELLOW),
    R13("ACTIVE institution with liability silent for 72 h", Severity.YELLOW),
    COMPOSITE("absconding pattern: R8 then R9 or R10 within 30 days", Severity.RED);

    private final String description;
    private final Severity highest;

    Rule(String description, Severity highest) {
        this.description = description;
        this.highest = highest;
    }

    public String description() {
        return description;
    }

    public Severity highest() {
        return highest;
    }
}

package org.lifelongpulse.participation.functions;

import java.util.HashSet;
import java.util.Set;

/** What one minute of one group adds up to: visits, exact distinct learners, seconds, credits. */
public class MinuteTally {

    public long visits;
    public long learningSeconds;
    public long creditPoints;
    public Set<String> learners = new HashSet<>();

    public MinuteTally() {}

    public long uniqueLearners() {
        return learners.size();
    }
}

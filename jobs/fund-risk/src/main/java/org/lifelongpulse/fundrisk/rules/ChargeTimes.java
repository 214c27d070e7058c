package org.lifelongpulse.fundrisk.rules;

import java.util.ArrayList;
import java.util.List;

/** Times of one payer's near-cap charges (R12). A Flink POJO. */
public class ChargeTimes {

    public List<Long> times = new ArrayList<>();

    public ChargeTimes() {}
}

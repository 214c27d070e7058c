package org.lifelongpulse.fundrisk.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the rules remember about one institution: its ledger, the series its windows sum,
 * card totals, near-cap charges by payer, unpaid refund requests, the silence deadline and the
 * open alerts. A Flink POJO, kept as one keyed value; series are pruned to the longest window.
 */
public class InstitutionState {

    public Ledger ledger = new Ledger();
    public TimeSeries sales = new TimeSeries();
    public TimeSeries outside = new TimeSeries();
    public TimeSeries delivered = new TimeSeries();
    public TimeSeries requests = new TimeSeries();
    /** Everything loaded on each card (R3). */
    public Map<String, Long> cardTotals = new HashMap<>();
    /** Near-cap charges by payer hash, within R12's window (R12). */
    public Map<String, ChargeTimes> nearCapCharges = new HashMap<>();
    /** Unpaid refund requests: request id to request time (R11). */
    public Map<String, Long> unpaidRequests = new HashMap<>();
    /** Overdue unpaid requests and the level each reached (R11). */
    public Map<String, String> overdueLevels = new HashMap<>();
    /** Time of the transaction that started the current silence watch, or null (R13). */
    public Long silenceFrom;
    public Long silenceDeadline;
    /** Starts of R8 episodes within the composite window. */
    public List<Long> surgeStarts = new ArrayList<>();
    /** Open alerts by rule id. */
    public Map<String, Episode> open = new HashMap<>();
    public long lastEventAt = Long.MIN_VALUE;
    /** Transactions applied: the ledger rows' version. */
    public long applied;
    public double lastScore;
    public int lastOpenAlerts;
    public int lastRedAlerts;
    public long riskVersion;
    /** Event-time timers registered for this institution's deadlines. */
    public Set<Long> wakeUps = new HashSet<>();

    public InstitutionState() {}
}

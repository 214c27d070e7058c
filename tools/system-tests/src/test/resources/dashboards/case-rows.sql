-- Case-handling rows for DashboardQueriesITCase, beside sample-rows.sql (same day, 2021-10-25
-- Asia/Shanghai; two more institutions in JINGAN, so the sample's own facts stay as they are).
-- Alert ids follow the job's RULE-INSTITUTION-firstDetectedMillis. Hand-worked facts:
--   * open enforced alerts (with the sample's alert-r5-pd002 RED and alert-r4-xh001 YELLOW, both
--     first detected 09:40 and never acknowledged):
--       R2-INST-JA-001  RED    08:30  no action
--       R5-INST-JA-001  RED    08:20  ACK li.wei, ASSIGN wang.fang then zhang.min, two notes
--       R8-INST-JA-002  YELLOW 08:10  ACK zhang.min
--     so the triage queue (unacknowledged first, RED first, oldest first) is
--       R2-INST-JA-001, alert-r5-pd002, alert-r4-xh001, R5-INST-JA-001, R8-INST-JA-002;
--   * R3-INST-JA-002 (RED 10:00) was closed by li.wei at 11:00 and the job wrote its RESOLVED
--     version 2; R12-INST-JA-002 (YELLOW 10:30) was closed by zhang.min at 11:15 and the job has
--     not applied it yet (still OPEN): both are in "Recently closed" with their reasons, neither
--     in the queue; the sample's alert-r11-pd001 resolved by itself (last detected 11:30);
--   * "My alerts" of zhang.min: R5-INST-JA-001 only (R8-INST-JA-002 is acknowledged by
--     zhang.min, not assigned); of wang.fang: none (the alert was reassigned);
--   * shadow alerts: R5-INST-JA-001-...-shadow RED and R5-INST-JA-002-...-shadow YELLOW, plus
--     the sample's alert-r8-xh001-shadow: not in the queue, not in the timeline, in the rule
--     trial (R5: 2 enforced / 2 institutions / 2 RED against 2 shadow / 2 / 1);
--   * the timeline of INST-JA-001 (by last detection): R5 v1 YELLOW 08:20, R2 v1 RED 08:30,
--     R5 v2 RED 09:00.
-- Statements end with a semicolon at the end of a line (Migration.split).

INSERT INTO pulse.institutions (institution_id, name, district, category, license_status, closure_notice_at, bond_insured, updated_at, version) VALUES
('INST-JA-001', 'Jingan Language School', 'JINGAN', 'language', 'ACTIVE', NULL, 1, '2021-10-24 09:00:00', 1635037200000),
('INST-JA-002', 'Jingan Chess Club', 'JINGAN', 'chess', 'ACTIVE', NULL, 1, '2021-10-24 09:00:00', 1635037200000);

INSERT INTO pulse.alert_versions (alert_id, institution_id, district, rule_id, rule_version, severity, status, first_detected_at, last_detected_at, window_start, window_end, observed, threshold, evidence, citation, version, shadow) VALUES
('R2-INST-JA-001-1635121800000', 'INST-JA-001', 'JINGAN', 'R2', 1, 'RED', 'OPEN', '2021-10-25 08:30:00', '2021-10-25 08:30:00', '2021-10-25 08:30:00', '2021-10-25 08:30:00', 12000, 5000, 'One sale of 12,000.00 CNY, above the 5,000.00 CNY cap.', 'Single-payment cap', 1, 0),
('R5-INST-JA-001-1635121200000', 'INST-JA-001', 'JINGAN', 'R5', 1, 'YELLOW', 'OPEN', '2021-10-25 08:20:00', '2021-10-25 08:20:00', '2021-10-18 08:20:00', '2021-10-25 08:20:00', 0.9, 1, 'Escrow covers 90% of the 40,000.00 CNY learners are still owed.', 'Escrow of prepaid fees', 1, 0),
('R5-INST-JA-001-1635121200000', 'INST-JA-001', 'JINGAN', 'R5', 1, 'RED', 'UPDATED', '2021-10-25 08:20:00', '2021-10-25 09:00:00', '2021-10-18 09:00:00', '2021-10-25 09:00:00', 0.4, 0.5, 'Escrow covers 40% of the 45,000.00 CNY learners are still owed.', 'Escrow of prepaid fees', 2, 0),
('R8-INST-JA-002-1635120600000', 'INST-JA-002', 'JINGAN', 'R8', 1, 'YELLOW', 'OPEN', '2021-10-25 08:10:00', '2021-10-25 08:10:00', '2021-10-18 08:10:00', '2021-10-25 08:10:00', 3.2, 3, '7-day sales 3.2x the trailing weekly mean.', 'Prepaid sales surge', 1, 0),
('R3-INST-JA-002-1635127200000', 'INST-JA-002', 'JINGAN', 'R3', 1, 'RED', 'OPEN', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', 6000, 5000, 'Card C-9 holds 6,000.00 CNY, above the 5,000.00 CNY cap.', 'Card balance cap', 1, 0),
('R3-INST-JA-002-1635127200000', 'INST-JA-002', 'JINGAN', 'R3', 1, 'RED', 'RESOLVED', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', 6000, 5000, 'Closed by li.wei: card balance checked with the bank, a double-counted load', 'Card balance cap', 2, 0),
('R12-INST-JA-002-1635129000000', 'INST-JA-002', 'JINGAN', 'R12', 1, 'YELLOW', 'OPEN', '2021-10-25 10:30:00', '2021-10-25 10:30:00', '2021-10-25 10:30:00', '2021-10-25 10:30:00', 4900, 5000, 'A charge of 4,900.00 CNY close to the 5,000.00 CNY cap.', 'Charges near the cap', 1, 0),
('R5-INST-JA-001-1635121200000-shadow', 'INST-JA-001', 'JINGAN', 'R5', 2, 'RED', 'OPEN', '2021-10-25 08:20:00', '2021-10-25 08:20:00', '2021-10-18 08:20:00', '2021-10-25 08:20:00', 0.9, 0.95, 'Escrow covers 90% (shadow rule).', 'Escrow of prepaid fees', 1, 1),
('R5-INST-JA-002-1635123600000-shadow', 'INST-JA-002', 'JINGAN', 'R5', 2, 'YELLOW', 'OPEN', '2021-10-25 09:00:00', '2021-10-25 09:00:00', '2021-10-18 09:00:00', '2021-10-25 09:00:00', 0.97, 1.0, 'Escrow covers 97% (shadow rule).', 'Escrow of prepaid fees', 1, 1);

INSERT INTO pulse.risk_alerts (alert_id, institution_id, district, rule_id, rule_version, severity, status, first_detected_at, last_detected_at, window_start, window_end, observed, threshold, evidence, citation, version, shadow) VALUES
('R2-INST-JA-001-1635121800000', 'INST-JA-001', 'JINGAN', 'R2', 1, 'RED', 'OPEN', '2021-10-25 08:30:00', '2021-10-25 08:30:00', '2021-10-25 08:30:00', '2021-10-25 08:30:00', 12000, 5000, 'One sale of 12,000.00 CNY, above the 5,000.00 CNY cap.', 'Single-payment cap', 1, 0),
('R5-INST-JA-001-1635121200000', 'INST-JA-001', 'JINGAN', 'R5', 1, 'RED', 'UPDATED', '2021-10-25 08:20:00', '2021-10-25 09:00:00', '2021-10-18 09:00:00', '2021-10-25 09:00:00', 0.4, 0.5, 'Escrow covers 40% of the 45,000.00 CNY learners are still owed.', 'Escrow of prepaid fees', 2, 0),
('R8-INST-JA-002-1635120600000', 'INST-JA-002', 'JINGAN', 'R8', 1, 'YELLOW', 'OPEN', '2021-10-25 08:10:00', '2021-10-25 08:10:00', '2021-10-18 08:10:00', '2021-10-25 08:10:00', 3.2, 3, '7-day sales 3.2x the trailing weekly mean.', 'Prepaid sales surge', 1, 0),
('R3-INST-JA-002-1635127200000', 'INST-JA-002', 'JINGAN', 'R3', 1, 'RED', 'RESOLVED', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', '2021-10-25 10:00:00', 6000, 5000, 'Closed by li.wei: card balance checked with the bank, a double-counted load', 'Card balance cap', 2, 0),
('R12-INST-JA-002-1635129000000', 'INST-JA-002', 'JINGAN', 'R12', 1, 'YELLOW', 'OPEN', '2021-10-25 10:30:00', '2021-10-25 10:30:00', '2021-10-25 10:30:00', '2021-10-25 10:30:00', 4900, 5000, 'A charge of 4,900.00 CNY close to the 5,000.00 CNY cap.', 'Charges near the cap', 1, 0),
('R5-INST-JA-001-1635121200000-shadow', 'INST-JA-001', 'JINGAN', 'R5', 2, 'RED', 'OPEN', '2021-10-25 08:20:00', '2021-10-25 08:20:00', '2021-10-18 08:20:00', '2021-10-25 08:20:00', 0.9, 0.95, 'Escrow covers 90% (shadow rule).', 'Escrow of prepaid fees', 1, 1),
('R5-INST-JA-002-1635123600000-shadow', 'INST-JA-002', 'JINGAN', 'R5', 2, 'YELLOW', 'OPEN', '2021-10-25 09:00:00', '2021-10-25 09:00:00', '2021-10-18 09:00:00', '2021-10-25 09:00:00', 0.97, 1.0, 'Escrow covers 97% (shadow rule).', 'Escrow of prepaid fees', 1, 1);

INSERT INTO pulse.alert_actions (action_id, alert_id, institution_id, rule_id, action, actor, assignee, text, acted_at, alert_version) VALUES
('a0000001-0000-4000-8000-000000000001', 'R5-INST-JA-001-1635121200000', 'INST-JA-001', 'R5', 'ACK', 'li.wei', '', '', '2021-10-25 10:00:00', 2),
('a0000001-0000-4000-8000-000000000002', 'R5-INST-JA-001-1635121200000', 'INST-JA-001', 'R5', 'ASSIGN', 'li.wei', 'wang.fang', '', '2021-10-25 10:05:00', 2),
('a0000001-0000-4000-8000-000000000003', 'R5-INST-JA-001-1635121200000', 'INST-JA-001', 'R5', 'NOTE', 'wang.fang', '', 'Called the school: escrow top-up promised', '2021-10-25 10:10:00', 2),
('a0000001-0000-4000-8000-000000000004', 'R5-INST-JA-001-1635121200000', 'INST-JA-001', 'R5', 'ASSIGN', 'li.wei', 'zhang.min', 'wang.fang is away', '2021-10-25 10:20:00', 2),
('a0000001-0000-4000-8000-000000000005', 'R5-INST-JA-001-1635121200000', 'INST-JA-001', 'R5', 'NOTE', 'zhang.min', '', 'Top-up not received by Friday: visit planned', '2021-10-25 10:40:00', 2),
('a0000001-0000-4000-8000-000000000006', 'R8-INST-JA-002-1635120600000', 'INST-JA-002', 'R8', 'ACK', 'zhang.min', '', '', '2021-10-25 10:30:00', 1),
('a0000001-0000-4000-8000-000000000007', 'R3-INST-JA-002-1635127200000', 'INST-JA-002', 'R3', 'ACK', 'li.wei', '', '', '2021-10-25 10:50:00', 1),
('a0000001-0000-4000-8000-000000000008', 'R3-INST-JA-002-1635127200000', 'INST-JA-002', 'R3', 'CLOSE', 'li.wei', '', 'card balance checked with the bank, a double-counted load', '2021-10-25 11:00:00', 1),
('a0000001-0000-4000-8000-000000000009', 'R12-INST-JA-002-1635129000000', 'INST-JA-002', 'R12', 'CLOSE', 'zhang.min', '', 'same card as the R3 case, handled there', '2021-10-25 11:15:00', 1);

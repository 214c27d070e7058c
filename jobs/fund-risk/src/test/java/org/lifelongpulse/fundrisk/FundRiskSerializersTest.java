package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No record or state type of the fund-risk job falls back to Kryo. */
class FundRiskSerializersTest {

    @ParameterizedTest
    @ValueSource(classes = {
        org.lifelongpulse.fundrisk.records.FundTransaction.class,
        org.lifelongpulse.fundrisk.records.AlertRow.class,
        org.lifelongpulse.fundrisk.records.LedgerRow.class,
        org.lifelongpulse.fundrisk.records.InstitutionRiskRow.class,
        org.lifelongpulse.fundrisk.records.ReferenceUpdate.class,
        org.lifelongpulse.fundrisk.rules.InstitutionState.class,
        org.lifelongpulse.fundrisk.rules.InstitutionHistory.class})
    void isSerializedWithoutKryo(Class<?> type) {
        String info = TypeInformation.of(type).toString();
        assertThat(info).startsWith("PojoType").doesNotContain("GenericType");
    }
}

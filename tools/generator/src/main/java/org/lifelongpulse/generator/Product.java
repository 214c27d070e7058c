package org.lifelongpulse.generator;

import java.util.List;
import org.lifelongpulse.avro.CardKind;

/**
 * A prepaid card product: price, class hours bought and the service period it covers. The catalogue
 * keeps ordinary products well inside every rule: at most 60 days and 36 hours, no price within
 * 90-100% of a card cap, and a card plus one top-up stays under 90% of its cap.
 */
record Product(CardKind kind, long priceFen, int hours, int days) {

    static final List<Product> ANONYMOUS =
            List.of(
                    yuan(CardKind.ANONYMOUS, 300, 6, 30),
                    yuan(CardKind.ANONYMOUS, 500, 10, 45),
                    yuan(CardKind.ANONYMOUS, 800, 16, 60));
    static final List<Product> REGISTERED =
            List.of(
                    yuan(CardKind.REGISTERED, 1200, 12, 30),
                    yuan(CardKind.REGISTERED, 2000, 20, 60),
                    yuan(CardKind.REGISTERED, 2400, 24, 60),
                    yuan(CardKind.REGISTERED, 3000, 30, 60),
                    yuan(CardKind.REGISTERED, 3600, 36, 60));
    static final Product ANONYMOUS_TOP_UP = yuan(CardKind.ANONYMOUS, 100, 2, 15);
    static final Product REGISTERED_TOP_UP = yuan(CardKind.REGISTERED, 600, 6, 30);

    static Product yuan(CardKind kind, long yuan, int hours, int days) {
        return new Product(kind, yuan * 100, hours, days);
    }
}

package org.lifelongpulse.fundrisk.rules;

import java.util.Locale;

/** Fen as printed in evidence sentences. */
final class Money {

    private Money() {}

    static String yuan(long fen) {
        return String.format(Locale.ROOT, "%,.2f yuan", fen / 100.0);
    }

    static double asYuan(long fen) {
        return fen / 100.0;
    }
}

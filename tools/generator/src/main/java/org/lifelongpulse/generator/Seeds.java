package org.lifelongpulse.generator;

import java.util.SplittableRandom;

/**
 * Independent random streams derived from the world seed and a label, so that changing one part of
 * the world (say the number of learners) does not reshuffle another (the training market).
 */
final class Seeds {

    private Seeds() {}

    static SplittableRandom derive(long seed, String label, long... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < label.length(); i++) {
            h = mix(h + label.charAt(i));
        }
        for (long part : parts) {
            h = mix(h ^ part);
        }
        return new SplittableRandom(h);
    }

    /** The SplitMix64 finaliser: a good bijective scrambler of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A short tag of the seed for ids, so that two worlds in one topic do not share ids. */
    static String tag(long seed) {
        return String.format("%06x", mix(seed) & 0xFFFFFFL);
    }
}

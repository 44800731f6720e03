package org.mixq.rl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodeRowTest {
    @Test
    void csvRoundTripIsExact() {
        EpisodeRow r = new EpisodeRow(17, -0.0123456789012345, 0.9123, 2.971234, 123_456, 1.5e6,
                new int[] {8, 2, 3, 8}, new int[] {32, 32, 32, 32}, 12.345);
        EpisodeRow back = EpisodeRow.parse(r.toCsv());
        assertEquals(r, back);
        assertEquals(r.deterministicPart(), back.deterministicPart());
        assertEquals(9, EpisodeRow.HEADER.split(",").length);
    }

    @Test
    void badLineNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpisodeRow.parse("1,2,3"));
        assertEquals(true, e.getMessage().startsWith("episodes.csv"));
    }

    record P(double cost, double acc) {
    }

    @Test
    void paretoFrontKeepsOnlyNonDominatedPoints() {
        List<P> pts = List.of(new P(3, 0.9), new P(1, 0.5), new P(2, 0.8), new P(2.5, 0.7), new P(4, 0.9), new P(5, 0.95));
        List<P> front = ParetoFront.of(pts, P::cost, P::acc);
        assertEquals(List.of(new P(1, 0.5), new P(2, 0.8), new P(3, 0.9), new P(5, 0.95)), front);
    }
}

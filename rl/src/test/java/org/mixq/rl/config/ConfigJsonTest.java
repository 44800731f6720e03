package org.mixq.rl.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.sensitivity.SensitivityConfig;

/** Configuration files: written, read back, read from mixq 0.1's flat files, and compared on resume. */
class ConfigJsonTest {
    private static final DataSource DATA = new DataSource("/runs/fp/model.ckpt", null, null);

    @TempDir
    Path dir;

    @Test
    void aConfigurationReadsBackAsWritten() {
        SearchConfig c = SearchConfig.defaults(DATA);
        String json = ConfigJson.write(c);
        assertEquals(json, ConfigJson.write(ConfigJson.read(json, SearchConfig.class, Setting.CHECKPOINT)));
        assertTrue(json.contains("\"reward\": \"haq\""), json);
    }

    @Test
    void everyFieldOfBothConfigurationsIsASetting() {
        for (Object c : new Object[] {SearchConfig.defaults(DATA), SensitivityConfig.defaults(DATA)}) {
            for (String path : ConfigJson.leaves(c).keySet()) {
                assertEquals(path, Setting.atPath(path).path());
            }
        }
    }

    @Test
    void aFlatSensitivityConfigurationOfVersion01ReadsItsWidthsFromText() {
        String flat = "{\"checkpoint\": \"/fp.ckpt\", \"seed\": 7, \"bits\": \"2,4,8\", \"searchEnds\": true, \"endBits\": 6,"
                + " \"finetuneBatches\": 3, \"costModel\": \"bitops\", \"targetBitops\": 2.0E9}";
        SensitivityConfig c = ConfigJson.read(flat, SensitivityConfig.class, Setting.CHECKPOINT);
        assertArrayEquals(new int[] {2, 4, 8}, c.bits());
        assertTrue(c.searchEnds());
        assertEquals(6, c.endBits());
        assertEquals(3, c.protocol().finetuneBatches());
        assertEquals(2e9, c.budget().target().targetBitops());
        assertEquals("/fp.ckpt", c.data().checkpoint());
    }

    @Test
    void onlyTheSettingsThatMayChangeAreSkipped() {
        SearchConfig a = SearchConfig.defaults(DATA);
        SearchConfig b = new SearchConfig(DATA, a.seed(), 10, a.budget(), a.protocol(), a.environment(), a.agent());
        assertNull(ConfigJson.firstDifference(a, b, SearchConfig.RESUMABLE_CHANGES));
        ConfigJson.Difference d = ConfigJson.firstDifference(a, b, Set.of());
        assertEquals(Setting.EPISODES, d.setting());
        assertEquals("10", d.saved());
        assertEquals("600", d.now());
    }

    @Test
    void aRefusalNamesItsSettingsInTheFrontEndsWords() {
        SettingException e = new SettingException(Setting.TARGET_BITS, "needs {} size", Setting.COST_MODEL);
        assertEquals("budget.target.targetBits: needs budget.costModel size", e.getMessage());
        assertEquals("<bits>: needs <cost> size", e.render(s -> s == Setting.TARGET_BITS ? "<bits>" : "<cost>"));
        assertEquals("a {} b", new SettingException(null, "a {} b").getMessage(), "a {} past the references is text");
    }

    @Test
    void aResumedRunNamesTheFirstSettingThatDiffersAndWritesNothing() throws IOException {
        RunFolder run = new RunFolder(dir.resolve("run"));
        SearchConfig c = SearchConfig.defaults(DATA);
        run.start(run.searchConfig(), c, SearchConfig.RESUMABLE_CHANGES, "a search", "resume");
        String saved = Files.readString(run.searchConfig());
        SearchConfig other = new SearchConfig(DATA, 5, c.episodes(), c.budget(), c.protocol(), c.environment(), c.agent());
        SettingException e = assertThrows(SettingException.class,
                () -> run.start(run.searchConfig(), other, SearchConfig.RESUMABLE_CHANGES, "a search", "resume"));
        assertEquals(Setting.SEED, e.references().get(0));
        assertTrue(e.getMessage().contains("seed: the run folder was started with 234, now 5"), e.getMessage());
        assertEquals(saved, Files.readString(run.searchConfig()));
    }

    @Test
    void aFileIsNoRunFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        SettingException e = assertThrows(SettingException.class, () -> new RunFolder(file).requireFolder());
        assertEquals(Setting.RUN_FOLDER, e.setting());
    }
}

package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blockdeck.engine.img.ImgMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioDirectivesTest {

    @Test
    void parsesImagesAndQmpStepsAndLeavesThemOutOfTheArguments() {
        Scenario s = new Scenario("x.args", """
                # a comment
                #! image base.qcow2 qcow2 1G
                #! image top.qcow2 qcow2 1G backing=base.qcow2
                #!image scratch.img raw 512M
                -blockdev driver=file,node-name=f,filename=${images}/top.qcow2
                #! qmp x-blockdev-set-iothread {"node-name": "f", "iothread": "io0"}
                #! qmp stop
                """);
        ScenarioDirectives d = s.directives();
        assertThat(d.images()).containsExactly(new ScenarioDirectives.Image("base.qcow2", "qcow2", "1G", null),
                new ScenarioDirectives.Image("top.qcow2", "qcow2", "1G", "base.qcow2"),
                new ScenarioDirectives.Image("scratch.img", "raw", "512M", null));
        assertThat(d.steps()).extracting(ScenarioDirectives.Step::command).containsExactly("x-blockdev-set-iothread", "stop");
        assertThat(d.steps().get(0).arguments().path("iothread").asText()).isEqualTo("io0");
        assertThat(d.steps().get(1).arguments()).isNull();
        assertThat(s.args()).containsExactly("-blockdev", "driver=file,node-name=f,filename=${images}/top.qcow2");
        assertThat(s.args(Path.of("/run/x"))).containsExactly("-blockdev", "driver=file,node-name=f,filename=/run/x/top.qcow2");
    }

    @Test
    void refusesWhatWouldGoWrongLater() {
        assertThatThrownBy(() -> ScenarioDirectives.parse("\n#! imagee a.img raw 1G"))
                .hasMessageContaining("line 2").hasMessageContaining("unknown directive 'imagee'");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image ../evil.img raw 1G"))
                .hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image a.img vmdk 1G")).hasMessageContaining("raw or qcow2");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image a.img raw lots")).hasMessageContaining("bad image size");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image a.qcow2 qcow2 1G backing=b.qcow2"))
                .hasMessageContaining("not declared on an earlier line");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image a.img raw 1G\n#! image b.img raw 1G backing=a.img"))
                .hasMessageContaining("only a qcow2 image");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! image a.img raw 1G\n#! image a.img raw 1G"))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! qmp stop [1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! qmp stop {nope")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ScenarioDirectives.parse("#! qmp")).hasMessageContaining("#! qmp COMMAND");
    }

    @Test
    void aMalformedScenarioFileFailsToLoad(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("bad.args");
        java.nio.file.Files.writeString(f, "-M none\n#! qmp stop {\n");
        assertThatThrownBy(() -> Scenario.load(f.toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.args").hasMessageContaining("line 2");
    }

    @Test
    void createsABackingChainTheEnginesImgToolReadsBack(@TempDir Path tmp) throws Exception {
        ScenarioDirectives d = ScenarioDirectives.parse("""
                #! image base.qcow2 qcow2 2G
                #! image top.qcow2 qcow2 2G backing=base.qcow2
                #! image r.img raw 3M
                """);
        ScenarioImages.create(d.images(), tmp);
        var info = new ObjectMapper().readTree(img("info", "--output=json", tmp.resolve("top.qcow2").toString()));
        assertThat(info.path("format").asText()).isEqualTo("qcow2");
        assertThat(info.path("virtual-size").asLong()).isEqualTo(2L << 30);
        assertThat(info.path("backing-filename").asText()).isEqualTo("base.qcow2");
        assertThat(info.path("backing-filename-format").asText()).isEqualTo("qcow2");
        assertThat(tmp.resolve("r.img")).hasSize(3L << 20);
    }

    @Test
    void aFailedCreationSaysWhichImage(@TempDir Path tmp) {
        ScenarioDirectives d = ScenarioDirectives.parse("#! image a.qcow2 qcow2 1G");
        assertThatThrownBy(() -> ScenarioImages.create(d.images(), tmp.resolve("no-such-dir")))
                .isInstanceOf(IOException.class).hasMessageContaining("a.qcow2");
    }

    private static String img(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ImgMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}

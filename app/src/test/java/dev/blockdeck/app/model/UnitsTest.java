package dev.blockdeck.app.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"-1, ?", "0, 0 B", "1023, 1023 B", "1024, 1 KiB", "197120, 193 KiB", "1536, 1.5 KiB", "67108864, 64 MiB",
            "1073741824, 1 GiB", "1610612736, 1.5 GiB", "10737418240, 10 GiB", "209715200, 200 MiB"})
    void bytesInBinaryUnits(long size, String shown) {
        assertThat(Units.bytes(size)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/tmp/bdrec/top1.qcow2|top1.qcow2",
            "top1.qcow2|top1.qcow2",
            "nbd://host:10809/export|nbd://host:10809/export",
            "/images/a-very-long-image-name-for-the-database-server.qcow2|a-very-long-…-server.qcow2",
            "json:{\"driver\": \"null-co\", \"size\": 1073741824}|json:{…}",
            "json:{\"backing\": {}, \"driver\": \"qcow2\", \"file\": {\"driver\": \"file\", \"filename\": \"/tmp/vm/o.qcow2\"}}|json: o.qcow2",
            "''|''"})
    void shortFileNames(String file, String shown) {
        assertThat(Units.shortFile(file, 26)).isEqualTo(shown);
    }
}

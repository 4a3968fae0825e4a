package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.Placement;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-plug plans from what QEMU 7.2 answered (qom-get and query-block of a q35 VM with one device on pcie.0 and one
 * on a root port, recorded by hand against qemu-system-x86_64 7.2).
 */
class ReplugPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFUSAL = "Node #block034 is associated with a BlockBackend and could be in use"
            + " (use force=true to override this check)";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static DeviceFacts facts(String id, String... propertyAndJson) throws Exception {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int i = 0; i < propertyAndJson.length; i += 2) {
            values.put(propertyAndJson[i], json(propertyAndJson[i + 1]));
        }
        return new DeviceFacts(id, values);
    }

    private static Drive drive(String backend, String device, String link) {
        BlockState s = new States().iothread("iothread0").iothread("iothread1")
                .backend(backend, device, link, Placement.deviceLink(link, device))
                .node("n", "null-co", Placement.deviceLink(link, device)).edge("backend:" + backend, "node:n", "root")
                .build();
        return Drive.of(s, "backend:" + backend).orElseThrow();
    }

    @Test
    void aLegacyDriveOnARootPortIsRePluggedWithDriveAdd() throws Exception {
        DeviceFacts f = facts("vblk1", "type", "\"virtio-blk-pci\"", "parent_bus", "\"/machine/peripheral/rp0/rp0\"",
                "addr", "0", "hotpluggable", "true", "drive", "\"drive1\"", "iothread", "\"\"", "bootindex", "-1",
                "serial", "\"data1\"", "share-rw", "false");
        JsonNode queryBlock = json("{\"device\": \"drive1\", \"qdev\": \"/machine/peripheral/vblk1/virtio-backend\","
                + " \"inserted\": {\"node-name\": \"#block034\", \"drv\": \"null-co\", \"ro\": false,"
                + " \"file\": \"json:{\\\"driver\\\": \\\"null-co\\\", \\\"size\\\": \\\"2G\\\"}\","
                + " \"cache\": {\"no-flush\": false, \"direct\": false, \"writeback\": true}}}");
        ReplugPlan plan = ReplugPlan.of(drive("drive1", "vblk1", null), "iothread1", REFUSAL, f, queryBlock);

        assertThat(plan.title()).isEqualTo("Move drive1 (vblk1) to iothread1: re-plug plan");
        assertThat(plan.hotplug()).isTrue();
        assertThat(plan.why()).contains(REFUSAL, "re-created with iothread=iothread1");
        assertThat(plan.steps()).contains(
                "1. {\"execute\":\"device_del\",\"arguments\":{\"id\":\"vblk1\"}}",
                "DEVICE_DELETED event of vblk1",
                "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":"
                        + "\"drive_add 0 if=none,id=drive1,driver=null-co,size=2G\"}}",
                "3. {\"execute\":\"device_add\",\"arguments\":{\"driver\":\"virtio-blk-pci\",\"id\":\"vblk1\","
                        + "\"drive\":\"drive1\",\"bus\":\"rp0\",\"addr\":\"00.0\",\"iothread\":\"iothread1\","
                        + "\"serial\":\"data1\"}}",
                "-device virtio-blk-pci,id=vblk1,drive=drive1,bus=rp0,addr=00.0,iothread=iothread1,serial=data1",
                "-object iothread,id=iothread1",
                "It read type, parent_bus, addr, hotpluggable, drive, iothread, bootindex, serial, share-rw with qom-get");
        assertThat(plan.text()).startsWith(plan.title() + "\n\n" + plan.why());
    }

    @Test
    void aDeviceOnPcie0CanOnlyChangeOnTheCommandLine() throws Exception {
        DeviceFacts f = facts("vblk0", "type", "\"virtio-blk-pci\"", "parent_bus", "\"/machine/q35/pcie.0\"",
                "addr", "16", "hotpluggable", "false", "drive", "\"disk-a\"", "iothread", "\"/objects/iothread0\"",
                "bootindex", "2");
        JsonNode queryBlock = json("{\"device\": \"\", \"qdev\": \"/machine/peripheral/vblk0/virtio-backend\","
                + " \"inserted\": {\"node-name\": \"disk-a\", \"drv\": \"qcow2\", \"file\": \"/images/a.qcow2\"}}");
        ReplugPlan plan = ReplugPlan.of(drive("/machine/peripheral/vblk0/virtio-backend", "vblk0", "iothread0"), null,
                REFUSAL, f, queryBlock);

        assertThat(plan.hotplug()).isFalse();
        assertThat(plan.why()).contains("re-created without an iothread");
        assertThat(plan.steps()).startsWith("vblk0 sits on bus pcie.0, which takes no hotplug")
                .contains("-device virtio-blk-pci,id=vblk0,drive=disk-a,bus=pcie.0,addr=02.0,bootindex=2")
                .doesNotContain("device_del", "-object iothread", "iothread=")
                .contains("(no answer for serial, share-rw)");
    }

    @Test
    void aBlockdevNodeStaysAcrossTheReplugAndFileImagesAreReopenedByFormat() throws Exception {
        DeviceFacts f = facts("vblk2", "type", "\"virtio-blk-pci\"", "parent_bus", "\"/machine/peripheral/rp1/rp1\"",
                "addr", "0", "hotpluggable", "true", "drive", "\"null0\"");
        ReplugPlan blockdev = ReplugPlan.of(drive("/machine/peripheral/vblk2/virtio-backend", "vblk2", null),
                "iothread0", REFUSAL, f, json("{\"device\": \"\", \"inserted\": {\"node-name\": \"null0\"}}"));
        assertThat(blockdev.steps()).doesNotContain("drive_add")
                .contains("2. {\"execute\":\"device_add\",\"arguments\":{\"driver\":\"virtio-blk-pci\",\"id\":\"vblk2\","
                        + "\"drive\":\"null0\",\"bus\":\"rp1\",\"addr\":\"00.0\",\"iothread\":\"iothread0\"}}");

        DeviceFacts legacy = facts("vblk3", "type", "\"virtio-blk-pci\"", "hotpluggable", "true", "drive", "\"d3\"");
        ReplugPlan file = ReplugPlan.of(drive("d3", "vblk3", null), "iothread0", REFUSAL, legacy,
                json("{\"device\": \"d3\", \"inserted\": {\"drv\": \"qcow2\", \"file\": \"/img/a,b.qcow2\", \"ro\": true,"
                        + " \"cache\": {\"direct\": true, \"no-flush\": false}}}"));
        assertThat(file.steps()).contains("drive_add 0 if=none,id=d3,file=/img/a,,b.qcow2,format=qcow2,read-only=on,"
                + "cache.direct=on");
    }

    @Test
    void otherDeviceTypesGetNoStepsButTheReason() throws Exception {
        DeviceFacts f = facts("sd0", "type", "\"scsi-hd\"");
        ReplugPlan plan = ReplugPlan.of(drive("drive9", "sd0", null), "iothread1", REFUSAL, f, null);
        assertThat(plan.hotplug()).isFalse();
        assertThat(plan.steps()).startsWith("sd0 is a scsi-hd. BlockDeck writes re-plug steps only for virtio-blk-pci");
    }
}

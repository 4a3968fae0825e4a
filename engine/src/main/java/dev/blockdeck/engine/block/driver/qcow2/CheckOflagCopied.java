package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.Result;

/**
 * The last phase of a check (QEMU's check_oflag_copied): OFLAG_COPIED must be set on exactly the L1 and L2
 * entries whose cluster has refcount 1; repaired in place when any fix is asked for.
 */
final class CheckOflagCopied {
    private CheckOflagCopied() {
    }

    static void check(CheckState st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        img.flushCaches();
        img.l2Cache.invalidateAll();
        for (int i = 0; i < img.l1.length; i++) {
            long l1e = img.l1[i];
            long l2 = l1e & L1E_OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            long rc;
            try {
                rc = img.refcounts.get(l2 >>> img.clusterBits);
            } catch (IOException e) {
                continue;
            }
            if ((rc == 1) != ((l1e & OFLAG_COPIED) != 0)) {
                boolean repair = fix != 0;
                st.log(String.format("%s OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%s",
                        repair ? "Repairing" : "ERROR", i, l1e, Long.toUnsignedString(rc)));
                if (repair) {
                    img.l1[i] = rc == 1 ? l1e | OFLAG_COPIED : l1e & ~OFLAG_COPIED;
                    img.writeL1Entry(i);
                    res.corruptionsFixed++;
                } else {
                    res.corruptions++;
                }
            }
            if ((l2 & (img.clusterSize - 1)) != 0) {
                continue;
            }
            byte[] t = new byte[img.clusterSize];
            img.file.read(l2, t, 0, t.length);
            ByteBuffer b = ByteBuffer.wrap(t);
            boolean dirty = false;
            for (int j = 0; j < img.l2Entries; j++) {
                long e = b.getLong(j * img.l2EntryBytes);
                if ((e & OFLAG_COMPRESSED) != 0) {
                    continue;
                }
                long off = e & L2E_OFFSET_MASK;
                if (off == 0) {
                    continue;
                }
                long drc;
                try {
                    drc = img.refcounts.get(off >>> img.clusterBits);
                } catch (IOException ex) {
                    continue;
                }
                if ((drc == 1) != ((e & OFLAG_COPIED) != 0)) {
                    boolean repair = fix != 0;
                    st.log(String.format("%s OFLAG_COPIED data cluster: l2_entry=%x refcount=%s",
                            repair ? "Repairing" : "ERROR", e, Long.toUnsignedString(drc)));
                    if (repair) {
                        b.putLong(j * img.l2EntryBytes, drc == 1 ? e | OFLAG_COPIED : e & ~OFLAG_COPIED);
                        dirty = true;
                        res.corruptionsFixed++;
                    } else {
                        res.corruptions++;
                    }
                }
            }
            if (dirty) {
                img.file.write(l2, ByteBuffer.wrap(t));
                img.file.flush();
            }
        }
    }
}

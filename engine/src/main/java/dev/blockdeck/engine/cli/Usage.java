package dev.blockdeck.engine.cli;

/** The engine's {@code --help} text. */
final class Usage {
    static final String TEXT = """
            usage: blockdeck-engine [options]
            BlockDeck engine: QEMU 7.2's block layer and QMP monitor, re-implemented in Java.

            Standard options (as in qemu-system-x86_64):
            -h, --help                 print this help and exit
            -version, --version        print the version and exit
            -M, -machine none|q35      machine type (a later -M overrides an earlier one; -M help lists them)
            -S                         start paused (run state 'prelaunch' until 'cont')
            -nodefaults                create no default devices (accepted: the engine never creates any)
            -display none              no display (the only display the engine has)
            -name NAME | guest=NAME    the VM's name
            -qmp unix:PATH,server=on,wait=off
                                       QMP monitor on a Unix socket (created with mode 0600)
            -qmp tcp:HOST:PORT,server=on,wait=off
                                       QMP monitor on TCP (loopback only unless --allow-remote-qmp)
            -object iothread,id=ID[,poll-max-ns=N,...]
            -blockdev OPTIONS | -drive OPTIONS,if=none
                                       block nodes and named drives
            -device virtio-blk-pci,drive=ID[,iothread=ID][,id=ID][,bus=BUS][,share-rw=on|off]
            -device pcie-root-port,id=ID,chassis=N[,slot=N]
                                       guest devices (q35; a root port's bus takes hot-plugged devices)
            -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on|off
                                       off: native PCIe hotplug (unplug without a guest round trip when the
                                       slot was never powered on)

            BlockDeck options:
            --allow-remote-qmp         allow a TCP monitor on a non-loopback address (QMP has no authentication)

            Several -qmp options give several independent monitors; each serves one client at a time.
            """;

    private Usage() {
    }
}

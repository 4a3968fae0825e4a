package dev.blockdeck.engine.block;

/** BlockdevDetectZeroesOptions: what a node does with writes of zeroes. */
public enum DetectZeroes {
    OFF("off"), ON("on"), UNMAP("unmap");

    private final String qapiName;

    DetectZeroes(String qapiName) {
        this.qapiName = qapiName;
    }

    public String qapiName() {
        return qapiName;
    }

    public static DetectZeroes parse(String s) {
        for (DetectZeroes d : values()) {
            if (d.qapiName.equals(s)) {
                return d;
            }
        }
        return null;
    }
}

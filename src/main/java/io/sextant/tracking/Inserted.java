package io.sextant.tracking;

import java.util.Set;

/**
 * What a group write inserted into the history: every position of the group (the fast path, which
 * copies only groups without a key twice), or the keys listed (the others were duplicates). Asked
 * only about keys of the group it describes.
 */
record Inserted(boolean all, Set<PositionKey> keys) {

    static final Inserted NOTHING = new Inserted(false, Set.of());

    static Inserted everything() {
        return new Inserted(true, Set.of());
    }

    static Inserted only(Set<PositionKey> keys) {
        return new Inserted(false, keys);
    }

    boolean contains(PositionKey key) {
        return all || keys.contains(key);
    }

    boolean none() {
        return !all && keys.isEmpty();
    }
}

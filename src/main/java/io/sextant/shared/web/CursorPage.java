package io.sextant.shared.web;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list, in the shape every list endpoint returns: {@code items}, and {@code
 * nextCursor} (absent on the last page) to pass back as {@code ?cursor=}.
 */
public record CursorPage<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * Builds a page from {@code limit + 1} fetched rows: the extra row only tells that there is a
     * next page, whose cursor is the key of the last row returned.
     */
    public static <T> CursorPage<T> fromLookahead(List<T> rows, int limit, Function<T, String> key) {
        if (rows.size() <= limit) {
            return new CursorPage<>(rows, null);
        }
        List<T> page = rows.subList(0, limit);
        return new CursorPage<>(List.copyOf(page), Cursors.encode(key.apply(page.getLast())));
    }

    public <R> CursorPage<R> map(Function<T, R> mapper) {
        return new CursorPage<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
